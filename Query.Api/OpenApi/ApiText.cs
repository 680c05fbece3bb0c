namespace Query.Api.OpenApi;

/// <summary>Descriptions and patterns that several parts of the OpenAPI document share.</summary>
public static class ApiText
{
    /// <summary>What the API writes: hashes and addresses lowercase, as the event log stores them.</summary>
    public const string Bytes32Pattern = "^0x[0-9a-f]{64}$";
    public const string AddressPattern = "^0x[0-9a-f]{40}$";

    /// <summary>A uint256 in decimal: at most 78 digits, no sign, no leading zero.</summary>
    public const string WeiPattern = "^(0|[1-9][0-9]{0,77})$";

    public const string WorkflowId = "The workflow's id (bytes32), lowercase hex.";
    public const string Status = "running until a terminal event; a negative decision makes it rejected, a WorkflowFailed not caused by a rejection failed.";
    public const string Initiator = "Address that started the workflow; null when its WorkflowStarted was never seen.";
    public const string StartedAt = "Block timestamp (unix seconds) of the WorkflowStarted event; null when it was never seen.";
    public const string CompletedAt = "Block timestamp (unix seconds) of the terminal event; null while running.";
    public const string BlockTimestamp = "Block timestamp, unix seconds.";
    public const string Wei = "Amount in wei as a decimal string (a uint256 fits no JSON number).";
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Query.Api.Health;

[Description("The process is up and serving requests.")]
public sealed record Liveness([property: Description("Always ok."), AllowedValues("ok")] string Status)
{
    public static readonly Liveness Ok = new("ok");
}

[Description("Whether the API reaches its database.")]
public sealed record DatabaseHealth(
    [property: Description("ok while the database answers, error otherwise."), AllowedValues("ok", "error")] string Status,
    [property: Description("connected or disconnected."), AllowedValues("connected", "disconnected")] string Db)
{
    public static readonly DatabaseHealth Connected = new("ok", "connected");
    public static readonly DatabaseHealth Disconnected = new("error", "disconnected");
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceDefaults.Health;

/// <summary>The probes' answers serialized by generated code: the worker is compiled ahead of time, with no reflection-based JSON.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProbeReport))]
internal sealed partial class ProbeJson : JsonSerializerContext;

using System.Text.Json;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>A status and the body as received.</summary>
public sealed record HttpAnswer(int Status, string Body)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Body);
}

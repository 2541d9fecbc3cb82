using System.Text.Json;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>A page of the commercial analytics, read as a tolerant client reads it: envelope names in either casing.</summary>
public sealed record CommercialPage(IReadOnlyList<JsonElement> Rows, string? NextLink, int TotalCount)
{
    public static CommercialPage Read(JsonElement body)
    {
        JsonElement Property(string name) => body.EnumerateObject().Single(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        return new CommercialPage([.. Property("value").EnumerateArray()], Property("@nextLink").GetString(), Property("totalCount").GetInt32());
    }

    /// <summary>A row's text field.</summary>
    public static string Text(JsonElement row, string name) => row.GetProperty(name).GetString()!;
}

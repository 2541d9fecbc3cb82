using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// An item of a Partner Center answer (a customer, a subscription, a row of the analytics), as sent: besides its own
/// fields, what tells whose item it is. Partner Center tags classic items with <c>attributes.objectType</c>, and the
/// fields an item carries that its type does not read are kept by name, so that another endpoint's items are refused
/// rather than read as rows of unknowns (<see cref="WireKinds"/>).
/// </summary>
internal abstract class WireItem
{
    /// <summary>The item's <c>attributes.objectType</c> (Customer, Subscription, PartnerLicensesUsageInsights...), when sent.</summary>
    [JsonPropertyName("attributes")]
    [JsonConverter(typeof(ObjectTypeConverter))]
    public string? ObjectType { get; set; }

    /// <summary>The fields sent that this type does not read, by name as sent; null when there were none.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }

    /// <summary>True when none of the documented fields came (another document's item).</summary>
    public abstract bool IsEmpty { get; }
}

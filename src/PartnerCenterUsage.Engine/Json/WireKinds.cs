using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// Tells an endpoint's own items from another endpoint's. Every <see cref="WireItem"/> type is a <see cref="WireKind"/>;
/// an item is another kind's when Partner Center tags it with that kind's objectType, or when it carries none of the
/// fields only its own kind has but one that only another kind has (a subscription's offerId in a customer list, a
/// partner-wide row's proratedLicensesUsagePercent among a customer's rows, licensesDeployed among usage rows). Without
/// either sign an item is read as its endpoint's, however sparse: only positive evidence refuses it.
/// </summary>
internal static class WireKinds
{
    private static readonly Lazy<Table> s_table = new(() => new Table());

    /// <summary>Every kind the module reads.</summary>
    public static IReadOnlyList<WireKind> All => s_table.Value.Kinds;

    /// <summary>The kind of a <see cref="WireItem"/> type.</summary>
    public static WireKind Of(Type type) => s_table.Value.ByType[type];

    /// <summary>
    /// The kind <paramref name="item"/> belongs to when that is not its type's, and what shows it (an objectType, a
    /// field); null when it is its endpoint's own, or nothing says otherwise.
    /// </summary>
    public static (WireKind Kind, string Evidence)? Foreign(WireItem item)
    {
        var table = s_table.Value;
        var own = table.ByType[item.GetType()];
        if (item.ObjectType is { } objectType && !own.ObjectTypes.Contains(objectType, StringComparer.OrdinalIgnoreCase)
            && table.ByObjectType.TryGetValue(objectType, out var tagged))
        {
            return (tagged, $"objectType '{objectType}'");
        }

        if (item.Unmapped is { Count: > 0 } unmapped)
        {
            foreach (var name in unmapped.Keys)
            {
                if (table.ByOwnField.TryGetValue(name, out var other) && other != own)
                {
                    return own.HasOwnField(item) ? null : (other, $"'{name}'");
                }
            }
        }

        return null;
    }

    /// <summary>The shared string of a documented objectType the reader is at, so that items do not each copy it; else null.</summary>
    public static string? KnownObjectType(ref Utf8JsonReader reader)
    {
        foreach (var known in s_table.Value.ObjectTypeNames)
        {
            if (reader.ValueTextEquals(known))
            {
                return known;
            }
        }

        return null;
    }

    private sealed class Table
    {
        public Table()
        {
            // Listed, not found by reflection over the assembly: that would load every type's dependencies (MSAL
            // among them) into a session that signed in with a token. A test checks that none is missing.
            Kinds = new[]
            {
                typeof(CustomerJson), typeof(SubscriptionJson), typeof(SubscribedSkuJson), typeof(LicenseUsageJson), typeof(LicenseDeploymentJson),
                typeof(PartnerLicenseUsageJson), typeof(PartnerLicenseDeploymentJson), typeof(CatalogSkuJson), typeof(ProvisioningStatusJson),
            }.Select(t => new WireKind(t)).ToArray();
            ByType = Kinds.ToDictionary(k => k.Type);
            ByObjectType = new Dictionary<string, WireKind>(StringComparer.OrdinalIgnoreCase);
            ByOwnField = new Dictionary<string, WireKind>(StringComparer.OrdinalIgnoreCase);
            foreach (var kind in Kinds)
            {
                foreach (var objectType in kind.ObjectTypes)
                {
                    ByObjectType[objectType] = kind;
                }

                foreach (var field in kind.OwnFields)
                {
                    ByOwnField[field] = kind;
                }
            }

            ObjectTypeNames = ByObjectType.Keys.ToArray();
        }

        public WireKind[] Kinds { get; }

        public Dictionary<Type, WireKind> ByType { get; }

        public Dictionary<string, WireKind> ByObjectType { get; }

        public Dictionary<string, WireKind> ByOwnField { get; }

        public string[] ObjectTypeNames { get; }
    }
}

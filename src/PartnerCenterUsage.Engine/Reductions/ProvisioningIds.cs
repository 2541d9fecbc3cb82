using System;
using System.Collections.Generic;
using System.Linq;

namespace PartnerCenterUsage.Engine.Reductions;

/// <summary>The Microsoft Entra SKU ids in a catalog SKU's provisioningId: one GUID, or several in one string.</summary>
internal static class ProvisioningIds
{
    private static readonly char[] Separators = { ',', ';', ' ', '\t', '\r', '\n' };

    /// <summary>The GUIDs in <paramref name="text"/>, each once, in order; parts that are not GUIDs are left out.</summary>
    public static IReadOnlyList<Guid> Parse(string? text) =>
        text is null
            ? Array.Empty<Guid>()
            : text.Split(Separators, StringSplitOptions.RemoveEmptyEntries)
                .Select(part => Guid.TryParse(part, out var id) ? id : (Guid?)null)
                .Where(id => id is not null)
                .Select(id => id!.Value)
                .Distinct()
                .ToList();
}

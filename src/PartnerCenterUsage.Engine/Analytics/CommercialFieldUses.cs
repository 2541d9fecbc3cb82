using System;

namespace PartnerCenterUsage.Engine;

/// <summary>What the API lets a field of the commercial rows be used for.</summary>
[Flags]
internal enum CommercialFieldUses
{
    /// <summary>Neither.</summary>
    None = 0,

    /// <summary>A condition of the <c>filter</c>.</summary>
    Filter = 1,

    /// <summary>A field of the <c>groupby</c>.</summary>
    GroupBy = 2,
}

using System;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>The sums of a <see cref="CountAggregate"/>, as flags: which of them went past the largest count.</summary>
[Flags]
internal enum CountField : ushort
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Qualified licenses.</summary>
    Qualified = 1,

    /// <summary>Active licenses.</summary>
    Active = 2,

    /// <summary>Inactive licenses.</summary>
    Inactive = 4,

    /// <summary>The qualified licenses of the rows that know both counts.</summary>
    QualifiedWithActiveKnown = 8,

    /// <summary>Licenses sold.</summary>
    Sold = 16,

    /// <summary>Licenses deployed.</summary>
    Deployed = 32,

    /// <summary>Unassigned licenses.</summary>
    Unassigned = 64,

    /// <summary>Units available.</summary>
    AvailableUnits = 128,
}

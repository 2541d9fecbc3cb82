namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>What a <see cref="ReportValue"/> measures, which decides how it is written.</summary>
public enum ReportValueKind : byte
{
    /// <summary>A count of licenses, units, rows or customers: a whole number.</summary>
    Count,

    /// <summary>A percentage, 0 to 100; its change is in percentage points.</summary>
    Percent,

    /// <summary>A change of a count between a baseline and now: a whole number with its sign (+12, −5, 0).</summary>
    CountChange,

    /// <summary>A change of a percentage between a baseline and now, in percentage points, with its sign.</summary>
    PercentChange,
}

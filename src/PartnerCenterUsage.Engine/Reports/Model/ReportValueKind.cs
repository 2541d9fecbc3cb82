namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>What a <see cref="ReportValue"/> measures, which decides how it is written.</summary>
public enum ReportValueKind : byte
{
    /// <summary>A count of licenses, units, rows or customers: a whole number.</summary>
    Count,

    /// <summary>A percentage, 0 to 100; its change is in percentage points.</summary>
    Percent,
}

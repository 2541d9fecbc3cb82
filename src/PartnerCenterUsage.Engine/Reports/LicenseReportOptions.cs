using System;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>What a license report says about itself, and how many bars its charts rank.</summary>
public sealed class LicenseReportOptions
{
    /// <summary>The customers each ranking (chart) shows when none is given.</summary>
    public const int DefaultTop = 10;

    /// <summary>The page's title.</summary>
    public string Title { get; set; } = "Partner Center license report";

    /// <summary>The customers (or workloads, products) each chart shows.</summary>
    public int Top { get; set; } = DefaultTop;

    /// <summary>When the report was made.</summary>
    public DateTimeOffset GeneratedAt { get; set; } = DateTimeOffset.UtcNow;
}

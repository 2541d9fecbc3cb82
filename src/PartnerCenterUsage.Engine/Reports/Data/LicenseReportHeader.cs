using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Data;

/// <summary>What a report page says about itself in its data: who wrote it, when, and of which processed dates.</summary>
public sealed class LicenseReportHeader
{
    /// <summary>The format of the page's data.</summary>
    public int FormatVersion { get; init; } = LicenseReportData.FormatVersion;

    /// <summary>The version of the module that wrote the page.</summary>
    public string? ModuleVersion { get; init; }

    /// <summary>The page's title.</summary>
    public string? Title { get; init; }

    /// <summary>When the report was made.</summary>
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The newest distinct processed dates of the rows the report read, to the minute, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> ProcessedDates { get; init; } = [];

    /// <summary>Distinct processed dates beyond those listed.</summary>
    public int ProcessedDatesNotListed { get; init; }
}

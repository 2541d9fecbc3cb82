using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// A license report as data, between the rows it was built from (<see cref="LicenseReportBuilder"/>) and any page that
/// shows it (<see cref="Html.LicenseReportHtml"/>): headline figures, chart series and tables, each value able to hold a
/// baseline and its change, which processed days the figures are of, and the seats to act on before renewal. Figures,
/// charts and tables are empty when only license reduction rows were read.
/// </summary>
public sealed class LicenseReport
{
    /// <summary>Creates the report; <see cref="LicenseReportBuilder.Build"/> is where reports come from.</summary>
    public LicenseReport(
        string title,
        DateTimeOffset generatedAt,
        IReadOnlyList<DateTimeOffset> processedDates,
        int processedDatesNotListed,
        IReadOnlyList<ReportFigure> figures,
        IReadOnlyList<ReportPeriod> periods,
        IReadOnlyList<ChartSeries> charts,
        IReadOnlyList<ReportTable> tables)
    {
        Title = title ?? throw new ArgumentNullException(nameof(title));
        GeneratedAt = generatedAt;
        ProcessedDates = processedDates ?? throw new ArgumentNullException(nameof(processedDates));
        ProcessedDatesNotListed = processedDatesNotListed;
        Figures = figures ?? throw new ArgumentNullException(nameof(figures));
        Periods = periods ?? throw new ArgumentNullException(nameof(periods));
        Charts = charts ?? throw new ArgumentNullException(nameof(charts));
        Tables = tables ?? throw new ArgumentNullException(nameof(tables));
    }

    /// <summary>The report's title.</summary>
    public string Title { get; }

    /// <summary>When the report was made.</summary>
    public DateTimeOffset GeneratedAt { get; }

    /// <summary>Whether no row at all was read: the report has no figures, charts, tables or "Act before renewal" section.</summary>
    public bool IsEmpty => Figures.Count == 0 && Renewal is null;

    /// <summary>The newest distinct processed dates of every row read, to the minute, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> ProcessedDates { get; }

    /// <summary>Distinct processed dates beyond those listed in <see cref="ProcessedDates"/>.</summary>
    public int ProcessedDatesNotListed { get; }

    /// <summary>The headline figures.</summary>
    public IReadOnlyList<ReportFigure> Figures { get; }

    /// <summary>Usage rows that lack a qualified or active count (they add nothing to the inactive figures).</summary>
    public long UsageRowsUnknown { get; init; }

    /// <summary>Deployment rows that lack a sold or deployed count (they add nothing to the unassigned figure).</summary>
    public long DeploymentRowsUnknown { get; init; }

    /// <summary>Subscribed SKU rows that lack their available units.</summary>
    public long AvailableUnitsUnknown { get; init; }

    /// <summary>
    /// What the sums too large to count are of ("licenses qualified", "the inactive share"...): a sum past the largest
    /// count a long holds is shown as unknown, never wrapped to a number of the other sign, and the page says which.
    /// </summary>
    public IReadOnlyList<string> SumsTooLarge { get; init; } = [];

    /// <summary>Rows read that were a row already read again, each counted once (see LicenseReportBuilder.RepeatedRowCount).</summary>
    public long RowsRepeated { get; init; }

    /// <summary>For each kind of dated row read (usage, deployment), the processed days counted and those left out.</summary>
    public IReadOnlyList<ReportPeriod> Periods { get; }

    /// <summary>The charts, in page order.</summary>
    public IReadOnlyList<ChartSeries> Charts { get; }

    /// <summary>
    /// The "Act before renewal" section, from the license reduction rows; null when none was read (the page then says so).
    /// </summary>
    public RenewalSection? Renewal { get; init; }

    /// <summary>The section "Since the baseline", when the report was compared with earlier ones; null otherwise.</summary>
    public ComparisonSection? Comparison { get; init; }

    /// <summary>The version of the module that made the report, which the page's data names.</summary>
    public string? ModuleVersion { get; init; }

    /// <summary>
    /// The report's figures (per customer, product and workload), which the page carries as data so that it can be read
    /// back; enumerated once, as the page is written.
    /// </summary>
    public IEnumerable<PartnerCenterUsage.Models.LicenseReportFigure> Data { get; init; } = [];

    /// <summary>The tables, in page order: the customers first, then one per kind of row read.</summary>
    public IReadOnlyList<ReportTable> Tables { get; }

    /// <summary>
    /// This report with <paramref name="comparison"/> as its section "Since the baseline" (for tests that compare by
    /// hand); everything else is this report's, its <see cref="Data"/> included, which only one of the two may write.
    /// </summary>
    internal LicenseReport WithComparison(ComparisonSection? comparison) =>
        new(Title, GeneratedAt, ProcessedDates, ProcessedDatesNotListed, Figures, Periods, Charts, Tables)
        {
            UsageRowsUnknown = UsageRowsUnknown,
            DeploymentRowsUnknown = DeploymentRowsUnknown,
            AvailableUnitsUnknown = AvailableUnitsUnknown,
            SumsTooLarge = SumsTooLarge,
            RowsRepeated = RowsRepeated,
            Renewal = Renewal,
            Comparison = comparison,
            ModuleVersion = ModuleVersion,
            Data = Data,
        };
}

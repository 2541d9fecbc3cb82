using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// The "Act before renewal" section, from the Get-PCLicenseReduction rows: the seats that can be returned before their
/// return window closes or cut before the subscriptions renew, in the 90 days from <see cref="AsOf"/>, grouped by 30
/// days, with its own headline figures. The seats of flagged matches (Ambiguous, Missing, NotInAnalytics) are listed and
/// never counted in the figures.
/// </summary>
public sealed class RenewalSection
{
    /// <summary>The days the section looks ahead.</summary>
    public const int Horizon = 90;

    /// <summary>Creates the section; <see cref="LicenseReportBuilder.Build"/> is where sections come from.</summary>
    public RenewalSection(DateTimeOffset asOf, IReadOnlyList<ReportFigure> figures, IReadOnlyList<RenewalGroup> groups)
    {
        AsOf = asOf;
        Figures = figures ?? throw new ArgumentNullException(nameof(figures));
        Groups = groups ?? throw new ArgumentNullException(nameof(groups));
    }

    /// <summary>
    /// The section's now: the latest AsOf of the rows (the connection clock's now they were judged at), never the
    /// machine's clock when the report is written, so the same rows give the same section.
    /// </summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Seats to cut within 30 days, and seats returnable now (of matches not flagged).</summary>
    public IReadOnlyList<ReportFigure> Figures { get; }

    /// <summary>The three periods: within 30 days, in 31 to 60 days, in 61 to 90 days.</summary>
    public IReadOnlyList<RenewalGroup> Groups { get; }

    /// <summary>The Get-PCLicenseReduction rows read.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows not flagged, with subscriptions, whose seats to cut now or at renewal are unknown: they give no action.</summary>
    public long RowsUnknown { get; init; }

    /// <summary>Actions whose deadline is further than <see cref="Horizon"/> days away: not listed.</summary>
    public long ActionsLater { get; init; }
}

using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// License counts summed over rows, known values only: a sum is null (unknown) until a row knows a value for it, so
/// that rows of unknown counts never read as 0. The rows whose counts were unknown are counted. Every sum of the report
/// is made here, row by row (<see cref="AddRow"/>) or aggregate by aggregate (<see cref="Add"/>), by one rule. A sum
/// that goes past the largest count a long holds is not wrapped to a count of the other sign: it is unknown from then
/// on, and marked too large (<see cref="TooLarge"/>), for the page to say so.
/// </summary>
public sealed class CountAggregate
{
    private long? _qualified;
    private long? _active;
    private long? _inactive;
    private long? _sold;
    private long? _deployed;
    private long? _unassigned;
    private long? _availableUnits;

    internal CountAggregate(string name) => Name = name;

    /// <summary>The workload or product (empty when the rows did not name it, and for a customer's or the portfolio's counts).</summary>
    public string Name { get; }

    /// <summary>The rows summed.</summary>
    public long Rows { get; private set; }

    /// <summary>Qualified licenses (usage rows); null when no row knew them, or when their sum is too large (<see cref="TooLarge"/>).</summary>
    public long? Qualified => Shown(CountField.Qualified, _qualified);

    /// <summary>Active licenses (usage rows); null when no row knew them, or when their sum is too large.</summary>
    public long? Active => Shown(CountField.Active, _active);

    /// <summary>Qualified − active (0 where more are active), summed over the rows that know both; null when none did, or when too large.</summary>
    public long? Inactive => Shown(CountField.Inactive, _inactive);

    /// <summary>Qualified licenses of the rows that know both counts (the base of <see cref="InactivePercent"/>).</summary>
    public long QualifiedWithActiveKnown { get; private set; }

    /// <summary>Usage rows missing either count.</summary>
    public long UsageRowsUnknown { get; private set; }

    /// <summary>Licenses sold (deployment rows); null when no row knew them, or when their sum is too large.</summary>
    public long? Sold => Shown(CountField.Sold, _sold);

    /// <summary>Licenses deployed (deployment rows); null when no row knew them, or when their sum is too large.</summary>
    public long? Deployed => Shown(CountField.Deployed, _deployed);

    /// <summary>Sold − deployed (0 where more are deployed), summed over the rows that know both; null when none did, or when too large.</summary>
    public long? Unassigned => Shown(CountField.Unassigned, _unassigned);

    /// <summary>Deployment rows missing either count.</summary>
    public long DeploymentRowsUnknown { get; private set; }

    /// <summary>Units free to assign (subscribed SKU rows); null when no row knew them, or when their sum is too large.</summary>
    public long? AvailableUnits => Shown(CountField.AvailableUnits, _availableUnits);

    /// <summary>Subscribed SKU rows whose available units are unknown.</summary>
    public long AvailableUnitsUnknown { get; private set; }

    /// <summary>Inactive licenses as a percentage of the qualified ones they were counted from; null when none qualify, or when either sum is too large.</summary>
    public double? InactivePercent =>
        QualifiedWithActiveKnown == 0 || (TooLarge & (CountField.Inactive | CountField.QualifiedWithActiveKnown)) != 0 ? null : 100.0 * Inactive / QualifiedWithActiveKnown;

    /// <summary>
    /// The sums that went past the largest count (<see cref="Counts"/>): shown as unknown from then on, never wrapped
    /// to a count of the other sign, and named by the report's notes.
    /// </summary>
    internal CountField TooLarge { get; private set; }

    // The marks of the rows summed here, when this is one customer's figure of one day: nearly always one, held without
    // a collection; a few more in a list, and past that a set, so that even many rows of one figure and day (one product
    // under many channels or services) cost one lookup each.
    private RowMark _firstMark;
    private List<RowMark>? _moreMarks;
    private HashSet<RowMark>? _manyMarks;
    private const int MarksListed = 8;

    /// <summary>
    /// Notes the mark of a row about to be summed here; false when a row of the same mark was summed already, and this
    /// one is the same row again.
    /// </summary>
    internal bool FirstOf(RowMark mark)
    {
        if (!_firstMark.IsSet)
        {
            _firstMark = mark;
            return true;
        }

        if (_firstMark.Equals(mark))
        {
            return false;
        }

        if (_manyMarks is not null)
        {
            return _manyMarks.Add(mark);
        }

        _moreMarks ??= new List<RowMark>(1);
        if (_moreMarks.Contains(mark))
        {
            return false;
        }

        _moreMarks.Add(mark);
        if (_moreMarks.Count > MarksListed)
        {
            _manyMarks = new HashSet<RowMark>(_moreMarks);
            _moreMarks = null;
        }

        return true;
    }

    /// <summary>
    /// Adds one row's counts: qualified and active (usage), sold and deployed (deployment), or available units
    /// (subscribed SKUs, <paramref name="second"/> unused).
    /// </summary>
    internal void AddRow(LicenseRowKind kind, long? first, long? second)
    {
        Rows++;
        switch (kind)
        {
            case LicenseRowKind.Usage:
                Sum(CountField.Qualified, ref _qualified, first);
                Sum(CountField.Active, ref _active, second);
                if (first is { } qualified && second is { } active)
                {
                    // More active than qualified leaves none inactive; it does not cancel another row's inactive licenses.
                    Sum(CountField.Inactive, ref _inactive, Waste(qualified, active), tooLargeWhenNull: true);
                    AddBase(qualified);
                }
                else
                {
                    UsageRowsUnknown++;
                }

                break;
            case LicenseRowKind.Deployment:
                Sum(CountField.Sold, ref _sold, first);
                Sum(CountField.Deployed, ref _deployed, second);
                if (first is { } sold && second is { } deployed)
                {
                    // More deployed than sold leaves none unassigned; it does not cancel another row's unassigned licenses.
                    Sum(CountField.Unassigned, ref _unassigned, Waste(sold, deployed), tooLargeWhenNull: true);
                }
                else
                {
                    DeploymentRowsUnknown++;
                }

                break;
            default:
                Sum(CountField.AvailableUnits, ref _availableUnits, first);
                AvailableUnitsUnknown += first is null ? 1 : 0;
                break;
        }
    }

    /// <summary>
    /// Adds a figure read back from a report (<see cref="PartnerCenterUsage.Models.LicenseReportFigure"/>): its sums,
    /// already made by <see cref="AddRow"/>, by the same rule. Its qualified licenses are the base of the inactive share
    /// when its active count is known. (A figure too large to count was written as unknown, and reads back so.)
    /// </summary>
    internal void AddFigure(PartnerCenterUsage.Models.LicenseReportFigure figure)
    {
        Rows++;
        switch (figure.Kind)
        {
            case PartnerCenterUsage.Models.LicenseFigureKind.Usage:
                Sum(CountField.Qualified, ref _qualified, figure.LicensesQualified);
                Sum(CountField.Active, ref _active, figure.LicensesActive);
                Sum(CountField.Inactive, ref _inactive, figure.LicensesInactive);
                AddBase(figure.QualifiedWithActiveKnown);
                UsageRowsUnknown += figure.LicensesInactive is null ? 1 : 0;
                break;
            case PartnerCenterUsage.Models.LicenseFigureKind.Deployment:
                Sum(CountField.Sold, ref _sold, figure.LicensesSold);
                Sum(CountField.Deployed, ref _deployed, figure.LicensesDeployed);
                Sum(CountField.Unassigned, ref _unassigned, figure.LicensesUnassigned);
                DeploymentRowsUnknown += figure.LicensesUnassigned is null ? 1 : 0;
                break;
            default:
                Sum(CountField.AvailableUnits, ref _availableUnits, figure.AvailableUnits);
                AvailableUnitsUnknown += figure.AvailableUnits is null ? 1 : 0;
                break;
        }
    }

    /// <summary>
    /// The waste of one row: its whole less its part (qualified − active, sold − deployed), never below 0 (more in use
    /// than bought cancels no other row's waste); unknown unless both are known, and when the difference is past what a
    /// count holds (a negative part). The one place of the rule.
    /// </summary>
    internal static long? Waste(long? whole, long? part) => Counts.Subtract(whole, part) is { } waste ? Math.Max(0, waste) : null;

    /// <summary>Adds the sums of <paramref name="other"/>, by the same rule: unknown plus unknown stays unknown, and a sum too large there is too large here.</summary>
    internal void Add(CountAggregate other)
    {
        TooLarge |= other.TooLarge;
        Rows += other.Rows;
        Sum(CountField.Qualified, ref _qualified, other._qualified);
        Sum(CountField.Active, ref _active, other._active);
        Sum(CountField.Inactive, ref _inactive, other._inactive);
        AddBase(other.QualifiedWithActiveKnown);
        UsageRowsUnknown += other.UsageRowsUnknown;
        Sum(CountField.Sold, ref _sold, other._sold);
        Sum(CountField.Deployed, ref _deployed, other._deployed);
        Sum(CountField.Unassigned, ref _unassigned, other._unassigned);
        DeploymentRowsUnknown += other.DeploymentRowsUnknown;
        Sum(CountField.AvailableUnits, ref _availableUnits, other._availableUnits);
        AvailableUnitsUnknown += other.AvailableUnitsUnknown;
    }

    /// <summary>The sum of <paramref name="field"/> (one of the counts, not the base of the share); null when unknown or too large.</summary>
    internal long? Of(CountField field) => field switch
    {
        CountField.Qualified => Qualified,
        CountField.Active => Active,
        CountField.Inactive => Inactive,
        CountField.Sold => Sold,
        CountField.Deployed => Deployed,
        CountField.Unassigned => Unassigned,
        CountField.AvailableUnits => AvailableUnits,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not one count."),
    };

    private long? Shown(CountField field, long? sum) => (TooLarge & field) != 0 ? null : sum;

    // Adds a known value to a sum (unknown until a value is known); a sum past the largest count is too large from then
    // on. With tooLargeWhenNull, an unknown value is itself a difference too large (Waste of two known counts).
    private void Sum(CountField field, ref long? sum, long? value, bool tooLargeWhenNull = false)
    {
        if ((TooLarge & field) != 0)
        {
            return;
        }

        if (value is null)
        {
            TooLarge |= tooLargeWhenNull ? field : CountField.None;
            return;
        }

        if (sum is null)
        {
            sum = value;
        }
        else if (Counts.Add(sum, value) is { } total)
        {
            sum = total;
        }
        else
        {
            TooLarge |= field;
            sum = null;
        }
    }

    private void AddBase(long qualified)
    {
        if ((TooLarge & CountField.QualifiedWithActiveKnown) != 0)
        {
            return;
        }

        if (Counts.Add(QualifiedWithActiveKnown, qualified) is { } total)
        {
            QualifiedWithActiveKnown = total;
        }
        else
        {
            TooLarge |= CountField.QualifiedWithActiveKnown;
        }
    }
}

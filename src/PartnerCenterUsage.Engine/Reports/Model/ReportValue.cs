using System;
using System.Runtime.InteropServices;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// One value of the report: its value now (the period the report shows) and, for a report that compares, its value in
/// a baseline period and the change between them. Unknown stays unknown: a value no row knew is null, never 0, and a
/// change is known only when both values are (known minus known).
/// </summary>
/// <remarks>
/// A count is held as the count it is (<see cref="CurrentCount"/>, every long exact, up to 9,223,372,036,854,775,807),
/// a percentage as a double, in the same 8 bytes, and unknown as a flag, so that a value takes 24 bytes: a report holds
/// one for every cell of its tables. (Counts were held as doubles once, exact only up to 2^53: a count near the largest
/// long was shown a little off.)
/// </remarks>
[StructLayout(LayoutKind.Explicit)]
public readonly struct ReportValue : IEquatable<ReportValue>
{
    [FieldOffset(0)]
    private readonly long _currentCount;

    [FieldOffset(0)]
    private readonly double _currentPercent;

    [FieldOffset(8)]
    private readonly long _baselineCount;

    [FieldOffset(8)]
    private readonly double _baselinePercent;

    [FieldOffset(16)]
    private readonly ReportValueKind _kind;

    [FieldOffset(17)]
    private readonly bool _hasBaseline;

    [FieldOffset(18)]
    private readonly byte _known;

    private const byte CurrentKnown = 1, BaselineKnown = 2;

    private ReportValue(ReportValueKind kind, double? current, double? baseline, bool hasBaseline)
    {
        this = default;
        _kind = kind;
        _hasBaseline = hasBaseline;
        if (current is { } now && !double.IsNaN(now))
        {
            _currentPercent = now;
            _known |= CurrentKnown;
        }

        if (baseline is { } then && !double.IsNaN(then))
        {
            _baselinePercent = then;
            _known |= BaselineKnown;
        }
    }

    private ReportValue(ReportValueKind kind, long? current, long? baseline, bool hasBaseline)
    {
        this = default;
        _kind = kind;
        _hasBaseline = hasBaseline;
        if (current is { } now)
        {
            _currentCount = now;
            _known |= CurrentKnown;
        }

        if (baseline is { } then)
        {
            _baselineCount = then;
            _known |= BaselineKnown;
        }
    }

    /// <summary>What the value measures.</summary>
    public ReportValueKind Kind => _kind;

    /// <summary>Whether the value is a count or a change of one (a whole number), not a percentage.</summary>
    public bool IsCount => _kind is ReportValueKind.Count or ReportValueKind.CountChange;

    /// <summary>The value now; null when unknown. A count as a double (exact up to 2^53: <see cref="CurrentCount"/> is exact).</summary>
    public double? Current => (_known & CurrentKnown) == 0 ? null : IsCount ? _currentCount : _currentPercent;

    /// <summary>A count's value now, exact; null when unknown or not a count.</summary>
    public long? CurrentCount => IsCount && (_known & CurrentKnown) != 0 ? _currentCount : null;

    /// <summary>Whether the value has a baseline period, known or not.</summary>
    public bool HasBaseline => _hasBaseline;

    /// <summary>The value in the baseline period; null when there is none or it is unknown.</summary>
    public double? Baseline => (_known & BaselineKnown) == 0 ? null : IsCount ? _baselineCount : _baselinePercent;

    /// <summary>A count's value in the baseline period, exact; null when there is none, it is unknown, or not a count.</summary>
    public long? BaselineCount => IsCount && (_known & BaselineKnown) != 0 ? _baselineCount : null;

    /// <summary>
    /// <see cref="Current"/> minus <see cref="Baseline"/> (for a percentage, in percentage points); null unless both are
    /// known (and, for counts, when the difference is past what a count holds).
    /// </summary>
    public double? Change =>
        !HasBaseline ? null
        : IsCount ? Counts.Subtract(CurrentCount, BaselineCount)
        : Current is { } current && Baseline is { } baseline ? current - baseline : null;

    /// <summary>A count now, with no baseline.</summary>
    public static ReportValue Count(long? current) => new(ReportValueKind.Count, current, (long?)null, hasBaseline: false);

    /// <summary>A count now and in the baseline period.</summary>
    public static ReportValue Count(long? current, long? baseline) => new(ReportValueKind.Count, current, baseline, hasBaseline: true);

    /// <summary>A percentage now, with no baseline.</summary>
    public static ReportValue Percent(double? current) => new(ReportValueKind.Percent, current, (double?)null, hasBaseline: false);

    /// <summary>A percentage now and in the baseline period.</summary>
    public static ReportValue Percent(double? current, double? baseline) => new(ReportValueKind.Percent, current, baseline, hasBaseline: true);

    /// <summary>A change of a count (now minus the baseline); null when either is unknown.</summary>
    public static ReportValue CountChange(long? change) => new(ReportValueKind.CountChange, change, (long?)null, hasBaseline: false);

    /// <summary>A change of a percentage, in points; null when either is unknown.</summary>
    public static ReportValue PercentChange(double? change) => new(ReportValueKind.PercentChange, change, (double?)null, hasBaseline: false);

    /// <summary>Whether two values are alike.</summary>
    public static bool operator ==(ReportValue left, ReportValue right) => left.Equals(right);

    /// <summary>Whether two values differ.</summary>
    public static bool operator !=(ReportValue left, ReportValue right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(ReportValue other) =>
        Kind == other.Kind && HasBaseline == other.HasBaseline
        && (IsCount ? CurrentCount == other.CurrentCount && BaselineCount == other.BaselineCount : Current == other.Current && Baseline == other.Baseline);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReportValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (int)Kind;
            hash = (hash * 397) ^ (IsCount ? CurrentCount.GetHashCode() : Current.GetHashCode());
            hash = (hash * 397) ^ HasBaseline.GetHashCode();
            return (hash * 397) ^ (IsCount ? BaselineCount.GetHashCode() : Baseline.GetHashCode());
        }
    }
}

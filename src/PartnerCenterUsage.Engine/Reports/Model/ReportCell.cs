using System;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>One cell of a <see cref="ReportRow"/>: text, a value or a date, each of which may be unknown (null).</summary>
/// <remarks>A date is held as its UTC ticks and its offset, so that a cell takes 48 bytes: a report holds one for every cell of its tables.</remarks>
public readonly struct ReportCell : IEquatable<ReportCell>
{
    private readonly long _utcTicks;
    private readonly short _offsetMinutes;
    private readonly bool _hasDate;

    private ReportCell(ReportCellKind kind, string? text, ReportValue value, DateTimeOffset? date)
    {
        Kind = kind;
        Text = text;
        Value = value;
        _hasDate = date is not null;
        _utcTicks = date?.UtcTicks ?? 0;
        _offsetMinutes = (short)(date?.Offset.TotalMinutes ?? 0);
    }

    /// <summary>What the cell holds.</summary>
    public ReportCellKind Kind { get; }

    /// <summary>The text of a text cell; null when unknown.</summary>
    public string? Text { get; }

    /// <summary>The value of a value cell.</summary>
    public ReportValue Value { get; }

    /// <summary>The date of a date cell; null when unknown.</summary>
    public DateTimeOffset? Date =>
        _hasDate ? new DateTimeOffset(_utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(_offsetMinutes)) : null;

    /// <summary>A text cell.</summary>
    public static ReportCell OfText(string? text) => new(ReportCellKind.Text, text, default, null);

    /// <summary>A value cell.</summary>
    public static ReportCell OfValue(ReportValue value) => new(ReportCellKind.Value, null, value, null);

    /// <summary>A date cell.</summary>
    public static ReportCell OfDate(DateTimeOffset? date) => new(ReportCellKind.Date, null, default, date);

    /// <summary>Whether two cells are alike.</summary>
    public static bool operator ==(ReportCell left, ReportCell right) => left.Equals(right);

    /// <summary>Whether two cells differ.</summary>
    public static bool operator !=(ReportCell left, ReportCell right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(ReportCell other) =>
        Kind == other.Kind && string.Equals(Text, other.Text, StringComparison.Ordinal) && Value == other.Value
        && _hasDate == other._hasDate && _utcTicks == other._utcTicks && _offsetMinutes == other._offsetMinutes;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReportCell other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (int)Kind;
            hash = (hash * 397) ^ (Text is null ? 0 : StringComparer.Ordinal.GetHashCode(Text));
            hash = (hash * 397) ^ Value.GetHashCode();
            return (hash * 397) ^ Date.GetHashCode();
        }
    }
}

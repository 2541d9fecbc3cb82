using System;

namespace PartnerCenterUsage.Engine.Reports.Comparison;

/// <summary>A headline figure a comparison compares: what it is, which kind of row it needs, and a customer's value of it.</summary>
internal sealed class ComparedFigure
{
    private readonly Func<SnapshotCustomer, CountAggregate?> _counts;

    public ComparedFigure(string label, Func<LicenseSnapshot, bool> has, Func<SnapshotCustomer, CountAggregate?> counts, CountField field)
    {
        Label = label;
        Has = has;
        _counts = counts;
        Field = field;
    }

    public string Label { get; }

    /// <summary>Whether a report has the rows the figure is counted from.</summary>
    public Func<LicenseSnapshot, bool> Has { get; }

    /// <summary>The count of the customers' sums that is the figure.</summary>
    public CountField Field { get; }

    /// <summary>The figure's stable name in ids: "Licenses inactive" is "licenses-inactive".</summary>
    public string Slug => Label.ToLowerInvariant().Replace(' ', '-');

    /// <summary>A customer's value; null when unknown, too large, or when it has no such rows.</summary>
    public long? Of(SnapshotCustomer customer) => _counts(customer)?.Of(Field);

    /// <summary>Whether a customer's sum of the figure is too large to count.</summary>
    public bool IsTooLarge(SnapshotCustomer customer) => _counts(customer) is { } counts && (counts.TooLarge & Field) != 0;
}

using System;

namespace PartnerCenterUsage.Engine.Reports.Comparison;

/// <summary>A headline figure a comparison compares: what it is, which kind of row it needs, and a customer's value of it.</summary>
internal sealed class ComparedFigure
{
    public ComparedFigure(string label, Func<LicenseSnapshot, bool> has, Func<SnapshotCustomer, long?> of)
    {
        Label = label;
        Has = has;
        Of = of;
    }

    public string Label { get; }

    /// <summary>Whether a report has the rows the figure is counted from.</summary>
    public Func<LicenseSnapshot, bool> Has { get; }

    /// <summary>A customer's value; null when unknown or when it has no such rows.</summary>
    public Func<SnapshotCustomer, long?> Of { get; }

    /// <summary>The figure's stable name in ids: "Licenses inactive" is "licenses-inactive".</summary>
    public string Slug => Label.ToLowerInvariant().Replace(' ', '-');
}

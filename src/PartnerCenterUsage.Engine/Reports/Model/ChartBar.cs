namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>One bar of a <see cref="ChartSeries"/>: what it stands for, its value and, in a whole-and-part series, its part.</summary>
public sealed class ChartBar
{
    /// <summary>A bar of <paramref name="value"/>, and of <paramref name="part"/> of it in a whole-and-part series.</summary>
    public ChartBar(string? label, ReportValue value, ReportValue part = default)
    {
        Label = label;
        Value = value;
        Part = part;
    }

    /// <summary>The customer, workload or product; null or empty when the rows did not name it.</summary>
    public string? Label { get; }

    /// <summary>The bar's value (the whole, in a whole-and-part series).</summary>
    public ReportValue Value { get; }

    /// <summary>The part of <see cref="Value"/> drawn inside it, in a whole-and-part series; unknown may stay unknown.</summary>
    public ReportValue Part { get; }
}

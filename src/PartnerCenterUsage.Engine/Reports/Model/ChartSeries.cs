using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// A ranking drawn as a bar chart: its bars in order, the largest first. A whole-and-part series (active of qualified)
/// names its part, and each bar carries both values.
/// </summary>
public sealed class ChartSeries
{
    /// <summary>A series; <paramref name="partLabel"/> makes it a whole-and-part series.</summary>
    public ChartSeries(string id, string title, IReadOnlyList<ChartBar> bars, string? partLabel = null, bool diverging = false)
    {
        Diverging = diverging;
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Title = title ?? throw new ArgumentNullException(nameof(title));
        Bars = bars ?? throw new ArgumentNullException(nameof(bars));
        PartLabel = partLabel;
    }

    /// <summary>The series' stable name, for example "chart-inactive" (the page's section id).</summary>
    public string Id { get; }

    /// <summary>The heading.</summary>
    public string Title { get; }

    /// <summary>The bars, the largest first; empty when there is nothing to chart.</summary>
    public IReadOnlyList<ChartBar> Bars { get; }

    /// <summary>What the part of each bar is, for example "active"; null for a series of single values.</summary>
    public string? PartLabel { get; }

    /// <summary>Whether the bars are changes, drawn from a middle line: an increase to the right, a decrease to the left.</summary>
    public bool Diverging { get; }

    /// <summary>Whether each bar is a whole with a part drawn inside it.</summary>
    public bool HasPart => PartLabel is not null;
}

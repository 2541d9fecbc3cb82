using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>A headline figure over the baselines and this report, oldest first: drawn as a line with every point's value in text.</summary>
public sealed class TrendSeries
{
    /// <summary>The trend of the figure <paramref name="title"/>.</summary>
    public TrendSeries(string id, string title, IReadOnlyList<TrendPoint> points)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Title = title ?? throw new ArgumentNullException(nameof(title));
        Points = points ?? throw new ArgumentNullException(nameof(points));
    }

    /// <summary>The series' stable name, for example "trend-inactive".</summary>
    public string Id { get; }

    /// <summary>The figure, for example "Licenses inactive".</summary>
    public string Title { get; }

    /// <summary>The points, oldest first; the last is this report's.</summary>
    public IReadOnlyList<TrendPoint> Points { get; }
}

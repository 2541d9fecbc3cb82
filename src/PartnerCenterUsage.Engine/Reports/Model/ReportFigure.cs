using System;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>A headline figure: what it counts and its value.</summary>
public sealed class ReportFigure
{
    /// <summary>A figure called <paramref name="label"/>.</summary>
    public ReportFigure(string label, ReportValue value)
    {
        Label = label ?? throw new ArgumentNullException(nameof(label));
        Value = value;
    }

    /// <summary>What the figure counts, for example "Licenses inactive".</summary>
    public string Label { get; }

    /// <summary>The figure.</summary>
    public ReportValue Value { get; }
}

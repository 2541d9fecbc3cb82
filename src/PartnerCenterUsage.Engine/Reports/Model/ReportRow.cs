using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>One row of a <see cref="ReportTable"/>: a cell for each of its columns.</summary>
public sealed class ReportRow
{
    /// <summary>A row of <paramref name="cells"/>.</summary>
    public ReportRow(IReadOnlyList<ReportCell> cells) => Cells = cells ?? throw new ArgumentNullException(nameof(cells));

    /// <summary>The cells, in the order of the table's columns.</summary>
    public IReadOnlyList<ReportCell> Cells { get; }
}

using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// A table of the report: its columns and the rows it keeps, the largest waste first, and how many rows it was chosen
/// from (more than it keeps when it is capped).
/// </summary>
public sealed class ReportTable
{
    /// <summary>A table of <paramref name="rows"/>, chosen from <paramref name="rowsRead"/>.</summary>
    public ReportTable(string id, string title, IReadOnlyList<string> columns, IReadOnlyList<ReportRow> rows, long rowsRead)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Title = title ?? throw new ArgumentNullException(nameof(title));
        Columns = columns ?? throw new ArgumentNullException(nameof(columns));
        Rows = rows ?? throw new ArgumentNullException(nameof(rows));
        RowsRead = rowsRead;
    }

    /// <summary>The table's stable name, for example "table-customers" (the page's section id).</summary>
    public string Id { get; }

    /// <summary>The heading.</summary>
    public string Title { get; }

    /// <summary>The column headings.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows kept, in their order on the page.</summary>
    public IReadOnlyList<ReportRow> Rows { get; }

    /// <summary>The rows the table's rows were chosen from (those of the processed days the report shows).</summary>
    public long RowsRead { get; }

    /// <summary>Whether the table keeps fewer rows than it was chosen from.</summary>
    public bool IsCapped => Rows.Count < RowsRead;
}

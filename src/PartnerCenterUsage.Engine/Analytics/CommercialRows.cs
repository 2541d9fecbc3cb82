using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// A commercial report's rows as <typeparamref name="TRow"/> models: the fields both reports share, written once here,
/// and the report's own fields and counts, given by <see cref="CommercialReportFields"/>.
/// </summary>
/// <typeparam name="TRow">The model of the rows.</typeparam>
internal sealed class CommercialRows<TRow> : CommercialReportFields
    where TRow : class, ICommercialRow
{
    private static readonly CommercialRowField<TRow>[] Shared =
    {
        new(CommercialField.CustomerId, "customerTenantId", r => r.CustomerId?.ToString("D", CultureInfo.InvariantCulture), r => r.CustomerId = null),
        new(CommercialField.CustomerName, "customerName", r => r.CustomerName, r => r.CustomerName = null),
        new(CommercialField.ProductId, "productId", r => r.ProductId, r => r.ProductId = null),
        new(CommercialField.ProductName, "productName", r => r.ProductName, r => r.ProductName = null),
        new(CommercialField.ServiceCode, "serviceCode", r => r.ServiceCode, r => r.ServiceCode = null),
        new(CommercialField.ServiceName, "serviceName", r => r.ServiceName, r => r.ServiceName = null),
        new(CommercialField.Channel, "channel", r => r.Channel, r => r.Channel = null),
    };

    private readonly CommercialRowField<TRow>[] _fields;

    // The fields by their number: read for every row matched or merged, so no lookup by hash.
    private readonly CommercialRowField<TRow>?[] _byField;
    private readonly CommercialRowCount<TRow>[] _counts;
    private readonly Action<TRow> _clearUnsummable;

    /// <summary>Describes a report's rows.</summary>
    /// <param name="report">The report.</param>
    /// <param name="own">The fields of this report besides the shared ones.</param>
    /// <param name="counts">The counts, summed over a group.</param>
    /// <param name="clearUnsummable">
    /// Clears what does not add up (a percentage as sent), so that the model computes it from the summed counts.
    /// </param>
    public CommercialRows(CommercialReport report, IEnumerable<CommercialRowField<TRow>> own, IEnumerable<CommercialRowCount<TRow>> counts, Action<TRow> clearUnsummable)
        : this(report, Shared.Concat(own).ToList(), counts, clearUnsummable)
    {
    }

    private CommercialRows(CommercialReport report, List<CommercialRowField<TRow>> fields, IEnumerable<CommercialRowCount<TRow>> counts, Action<TRow> clearUnsummable)
        : base(report, fields.Select(f => (f.Field, f.ApiName, f.Uses)))
    {
        _fields = fields.ToArray();
        _byField = new CommercialRowField<TRow>?[Enum.GetValues(typeof(CommercialField)).Length];
        foreach (var field in _fields)
        {
            _byField[(int)field.Field] = field;
        }

        _counts = counts.ToArray();
        _clearUnsummable = clearUnsummable;
    }

    /// <summary>
    /// <paramref name="row"/> as rows grouped on <paramref name="groupBy"/> are: every field not grouped on cleared,
    /// whatever the service sent, since a grouped row has no such value. Rows per customer (null or empty) keep all.
    /// </summary>
    public TRow KeepGrouped(TRow row, ICollection<CommercialField>? groupBy)
    {
        if (groupBy is { Count: > 0 })
        {
            foreach (var field in _fields)
            {
                if (!groupBy.Contains(field.Field))
                {
                    field.Clear(row);
                }
            }
        }

        return row;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A field this report's rows do not have.</exception>
    public override string? ValueOf(object row, CommercialField field) =>
        ((uint)field < (uint)_byField.Length ? _byField[(int)field] : null) is { } known
            ? known.Read((TRow)row)
            : throw new ArgumentException($"The {Report.ToString().ToLowerInvariant()} rows have no {field}.", nameof(field));

    /// <summary>
    /// Sums the counts (an unknown one on either side stays unknown), clears what does not add up, and keeps the later
    /// processing date.
    /// </summary>
    public override void AddTo(object total, object row)
    {
        var sum = (TRow)total;
        var add = (TRow)row;
        foreach (var count in _counts)
        {
            count.AddTo(sum, add);
        }

        _clearUnsummable(sum);
        sum.ProcessedDateTime = sum.ProcessedDateTime is null || add.ProcessedDateTime > sum.ProcessedDateTime ? add.ProcessedDateTime : sum.ProcessedDateTime;
    }
}

using System;
using System.Collections.Generic;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports.Comparison;

/// <summary>
/// A report's figures summed per customer and per workload, as a comparison needs them: made from the figures a report
/// counted (<see cref="LicenseReportBuilder.FigureRows"/>), read back from a page (Data.LicenseReportReader) or counted
/// from the rows of an earlier processed date, all by the same sums, so that this month and a baseline are counted
/// alike. Memory grows with the customers and workloads, never with the figures.
/// </summary>
public sealed class LicenseSnapshot
{
    private readonly Dictionary<Guid, SnapshotCustomer> _byId = new();
    private readonly Dictionary<string, SnapshotCustomer> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SnapshotCustomer> _customers = new();
    private readonly Dictionary<string, CountAggregate> _workloads = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CountAggregate> _products = new(StringComparer.OrdinalIgnoreCase);
    private DateTime? _latestDay;

    private LicenseSnapshot(string label, DateTimeOffset? generatedAt)
    {
        Label = label;
        GeneratedAt = generatedAt;
    }

    /// <summary>Which report this is: its file's name, or what the rows were.</summary>
    public string Label { get; }

    /// <summary>When the report was made, when known.</summary>
    public DateTimeOffset? GeneratedAt { get; }

    /// <summary>The day the figures are of: the latest processed day among them, else when the report was made.</summary>
    public DateTimeOffset? AsOf => _latestDay is { } day ? new DateTimeOffset(day, TimeSpan.Zero) : GeneratedAt;

    /// <summary>The distinct customers.</summary>
    public int CustomerCount => _customers.Count;

    /// <summary>The figures read.</summary>
    public long FigureCount { get; private set; }

    /// <summary>Whether any usage figure was read.</summary>
    public bool HasUsage { get; private set; }

    /// <summary>Whether any deployment figure was read.</summary>
    public bool HasDeployment { get; private set; }

    /// <summary>Whether any subscribed SKU figure was read.</summary>
    public bool HasSkus { get; private set; }

    internal IReadOnlyList<SnapshotCustomer> Customers => _customers;

    internal IReadOnlyDictionary<string, CountAggregate> Workloads => _workloads;

    internal IReadOnlyDictionary<string, CountAggregate> Products => _products;

    /// <summary>The snapshot of <paramref name="figures"/>, enumerated once.</summary>
    public static LicenseSnapshot FromFigures(IEnumerable<LicenseReportFigure> figures, string label, DateTimeOffset? generatedAt = null)
    {
        if (figures is null)
        {
            throw new ArgumentNullException(nameof(figures));
        }

        var snapshot = new LicenseSnapshot(label ?? throw new ArgumentNullException(nameof(label)), generatedAt);
        foreach (var figure in figures)
        {
            snapshot.Add(figure);
        }

        return snapshot;
    }

    /// <summary>Finds the customer of the same id, else (when either lacks an id) of the same name; null when none.</summary>
    internal SnapshotCustomer? Find(SnapshotCustomer other)
    {
        if (other.Id is { } id && _byId.TryGetValue(id, out var byId))
        {
            return byId;
        }

        if (other.Name is { } name && _byName.TryGetValue(name, out var byName) && (other.Id is null || byName.Id is null))
        {
            return byName;
        }

        return null;
    }

    private void Add(LicenseReportFigure figure)
    {
        FigureCount++;
        var customer = Customer(figure.CustomerId, string.IsNullOrEmpty(figure.CustomerName) ? null : figure.CustomerName);
        switch (figure.Kind)
        {
            case LicenseFigureKind.Usage:
                HasUsage = true;
                (customer.Usage ??= new CountAggregate(string.Empty)).AddFigure(figure);
                Total(_workloads, figure.WorkloadName ?? figure.WorkloadCode).AddFigure(figure);
                break;
            case LicenseFigureKind.Deployment:
                HasDeployment = true;
                (customer.Deployment ??= new CountAggregate(string.Empty)).AddFigure(figure);
                Total(_products, figure.ProductName ?? figure.ProductId).AddFigure(figure);
                break;
            default:
                HasSkus = true;
                (customer.Skus ??= new CountAggregate(string.Empty)).AddFigure(figure);
                break;
        }

        if (figure.ProcessedDateTime is { } processed && (_latestDay is null || processed.UtcDateTime.Date > _latestDay))
        {
            _latestDay = processed.UtcDateTime.Date;
        }
    }

    private static CountAggregate Total(Dictionary<string, CountAggregate> totals, string? name)
    {
        name ??= string.Empty;
        if (!totals.TryGetValue(name, out var total))
        {
            total = new CountAggregate(name);
            totals.Add(name, total);
        }

        return total;
    }

    // A customer of a report is one (id, name) pair, as the report's figures give it.
    private SnapshotCustomer Customer(Guid? id, string? name)
    {
        if (id is { } known)
        {
            if (!_byId.TryGetValue(known, out var customer))
            {
                customer = new SnapshotCustomer(id, name);
                _byId.Add(known, customer);
                _customers.Add(customer);
                if (name is not null && !_byName.ContainsKey(name))
                {
                    _byName.Add(name, customer);
                }
            }

            return customer;
        }

        var key = name ?? string.Empty;
        if (!_byName.TryGetValue(key, out var named) || named.Id is not null)
        {
            named = new SnapshotCustomer(null, name);
            _byName[key] = named;
            _customers.Add(named);
        }

        return named;
    }
}

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
/// <remarks>
/// A report has each customer's figures once, together. A customer whose figures come again after another customer's
/// (the same report's figures given twice, as two paths to one file or Import-PCLicenseReport's figures of it twice),
/// or a figure repeated within a customer, is the same licenses again: it is left out, and counted in
/// <see cref="RepeatedFigures"/>.
/// </remarks>
public sealed class LicenseSnapshot
{
    private readonly Dictionary<Guid, SnapshotCustomer> _byId = new();
    private readonly Dictionary<string, SnapshotCustomer> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sharedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SnapshotCustomer> _customers = new();
    private readonly Dictionary<string, CountAggregate> _workloads = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CountAggregate> _products = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<SnapshotCustomer> _done = new();
    private readonly HashSet<FigureKey> _currentKeys = new();
    private SnapshotCustomer? _nameless;
    private SnapshotCustomer? _current;
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

    /// <summary>The figures read and counted.</summary>
    public long FigureCount { get; private set; }

    /// <summary>Figures given again (a customer's after another customer's, or one figure twice): left out.</summary>
    public long RepeatedFigures { get; private set; }

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

    /// <summary>
    /// The customer of <paramref name="other"/>'s id; else, when either lacks an id, the one customer of its name (none
    /// when several customers here share the name: which one it is cannot be told); the customer with neither id nor
    /// name for one with neither. Null when none. <paramref name="shared"/> says a name was shared.
    /// </summary>
    internal SnapshotCustomer? Find(SnapshotCustomer other, out bool shared)
    {
        shared = false;
        if (other.Id is { } id && _byId.TryGetValue(id, out var byId))
        {
            return byId;
        }

        if (other.Name is not { } name)
        {
            return other.Id is null ? _nameless : null;
        }

        if (_sharedNames.Contains(name))
        {
            shared = true;
            return null;
        }

        return _byName.TryGetValue(name, out var byName) && (other.Id is null || byName.Id is null) ? byName : null;
    }

    private void Add(LicenseReportFigure figure)
    {
        var customer = Customer(figure.CustomerId, string.IsNullOrEmpty(figure.CustomerName) ? null : figure.CustomerName);
        var key = FigureKey.Of(figure);
        if (!ReferenceEquals(customer, _current))
        {
            if (_current is not null)
            {
                _done.Add(_current);
            }

            _current = customer;
            _currentKeys.Clear();
        }

        if (_done.Contains(customer) || !_currentKeys.Add(key))
        {
            RepeatedFigures++;
            return;
        }

        FigureCount++;
        switch (figure.Kind)
        {
            case LicenseFigureKind.Usage:
                HasUsage = true;
                (customer.Usage ??= new CountAggregate(string.Empty)).AddFigure(figure);
                Total(_workloads, key.GroupName).AddFigure(figure);
                break;
            case LicenseFigureKind.Deployment:
                HasDeployment = true;
                (customer.Deployment ??= new CountAggregate(string.Empty)).AddFigure(figure);
                Total(_products, key.GroupName).AddFigure(figure);
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

    private static CountAggregate Total(Dictionary<string, CountAggregate> totals, string name)
    {
        if (!totals.TryGetValue(name, out var total))
        {
            total = new CountAggregate(name);
            totals.Add(name, total);
        }

        return total;
    }

    // A customer of a report is one (id, name) pair, as the report's figures give it; the figures with neither are one
    // customer, as the report counted them.
    private SnapshotCustomer Customer(Guid? id, string? name)
    {
        if (id is { } known)
        {
            if (!_byId.TryGetValue(known, out var customer))
            {
                customer = new SnapshotCustomer(id, name);
                _byId.Add(known, customer);
                _customers.Add(customer);
                Name(customer);
            }

            return customer;
        }

        if (name is null)
        {
            if (_nameless is null)
            {
                _nameless = new SnapshotCustomer(null, null);
                _customers.Add(_nameless);
            }

            return _nameless;
        }

        if (_byName.TryGetValue(name, out var named) && named.Id is null)
        {
            return named;
        }

        var unnamed = new SnapshotCustomer(null, name);
        _customers.Add(unnamed);
        Name(unnamed);
        return unnamed;
    }

    // Names shared by several customers match none of them.
    private void Name(SnapshotCustomer customer)
    {
        if (customer.Name is not { } name)
        {
            return;
        }

        if (_byName.ContainsKey(name))
        {
            _sharedNames.Add(name);
        }
        else
        {
            _byName.Add(name, customer);
        }
    }
}

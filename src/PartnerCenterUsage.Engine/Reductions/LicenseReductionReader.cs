using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reductions;

/// <summary>
/// Reads what the join of analytics and subscriptions needs, in as few requests as Partner Center allows: the whole
/// portfolio's usage and deployment once (the commercial analytics, 10,000 rows a request), then per customer one
/// subscriptions request, one catalog request per distinct New Commerce SKU (kept by the client), and for legacy
/// subscriptions their provisioning status. One reader per run; safe for concurrent use by its customers.
/// </summary>
public sealed class LicenseReductionReader
{
    /// <summary>The catalog country asked when none is given: a SKU's provisioningId does not depend on the country.</summary>
    public const string DefaultCountry = "US";

    private readonly PartnerConnection _connection;
    private readonly string _country;
    private readonly PartnerCenterOperation _operation;
    private readonly CancellationToken _cancellationToken;
    private readonly Lazy<Task<Snapshot>> _snapshot;

    /// <summary>Creates the reader of one run; the analytics are read on first use, under <paramref name="cancellationToken"/>.</summary>
    public LicenseReductionReader(PartnerConnection connection, string? country, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _country = string.IsNullOrWhiteSpace(country) ? DefaultCountry : country!.Trim().ToUpperInvariant();
        _operation = operation ?? throw new ArgumentNullException(nameof(operation));
        _cancellationToken = cancellationToken;
        _snapshot = new Lazy<Task<Snapshot>>(() => ReadSnapshotAsync(_cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The customers the analytics count, in the order they first appear, with their names.</summary>
    /// <exception cref="PartnerCenterException">The analytics could not be read.</exception>
    public async Task<IReadOnlyList<(Guid CustomerId, string? CustomerName)>> GetAnalyticsCustomersAsync() =>
        (await _snapshot.Value.ConfigureAwait(false)).Customers;

    /// <summary>
    /// True when <paramref name="error"/> is the failure to read the portfolio's analytics, which every customer's rows
    /// need: the same exception for every customer of the run.
    /// </summary>
    public bool IsAnalyticsFailure(Exception error) =>
        _snapshot.IsValueCreated && _snapshot.Value is { IsFaulted: true } failed && failed.Exception?.InnerExceptions.Contains(error) == true;

    /// <summary>One customer's rows: a row per product of its analytics and per subscription that fits none.</summary>
    /// <exception cref="PartnerCenterException">A request failed or an answer is unusable.</exception>
    public async Task<IReadOnlyList<CustomerLicenseReduction>> GetCustomerAsync(Guid customerId, string? customerName, CancellationToken cancellationToken)
    {
        // The subscriptions are asked at once, while the portfolio's analytics may still be on their way.
        var subscriptionsTask = _connection.Client.GetCustomerSubscriptionsAsync(customerId, _operation, cancellationToken, customerName);
        var snapshot = await _snapshot.Value.ConfigureAwait(false);
        var subscriptions = await subscriptionsTask.ConfigureAwait(false);
        var skus = await Task.WhenAll(subscriptions.Where(LicenseReductionPlanner.Carries).Select(s => ResolveAsync(customerId, s, cancellationToken))).ConfigureAwait(false);
        snapshot.Usage.TryGetValue(customerId, out var usage);
        snapshot.Deployment.TryGetValue(customerId, out var deployment);
        return LicenseReductionPlanner.Plan(customerId, customerName, usage ?? new List<CustomerLicenseUsage>(), deployment ?? new List<CustomerLicenseDeployment>(), skus, _connection.UtcNow);
    }

    private async Task<SubscriptionSku> ResolveAsync(Guid customerId, CustomerSubscription subscription, CancellationToken cancellationToken)
    {
        string? catalogProblem = null;
        if (subscription.IsNewCommerce == true)
        {
            if (subscription.ProductId is { } productId && subscription.SkuId is { } skuId)
            {
                var ids = await _connection.Client.GetCatalogProvisioningIdsAsync(productId, skuId, _country, _operation, cancellationToken).ConfigureAwait(false);
                if (ids is { Count: > 0 })
                {
                    return new SubscriptionSku(subscription, ids, LicenseReductionPlanner.ByCatalog, null);
                }

                var sku = productId + ":" + skuId;
                catalogProblem = ids is null
                    ? $"The catalog ({_country}) does not know the SKU {sku}"
                    : $"The catalog SKU {sku} names no Microsoft Entra SKU (provisioningId)";
            }
            else
            {
                catalogProblem = "The New Commerce subscription's offer id names no catalog product and SKU";
            }
        }
        else if (subscription.IsNewCommerce is null)
        {
            return SubscriptionSku.Unknown(subscription, "Partner Center does not say whether the subscription is New Commerce or legacy.");
        }

        // Legacy subscriptions, and New Commerce ones the catalog does not tell: the provisioning status names the SKU.
        var prefix = catalogProblem is null ? string.Empty : catalogProblem + ", and ";
        if (string.IsNullOrWhiteSpace(subscription.SubscriptionId))
        {
            return SubscriptionSku.Unknown(subscription, prefix + "the subscription has no id to ask its provisioning status by.");
        }

        Guid? id;
        try
        {
            id = await _connection.Client.GetProvisionedSkuIdAsync(customerId, subscription.SubscriptionId!, _operation, cancellationToken).ConfigureAwait(false);
        }
        catch (PartnerCenterAppOnlyTokenException)
        {
            return SubscriptionSku.Unknown(subscription, prefix + "the subscription's provisioning status needs an App+User sign-in.");
        }
        catch (PartnerCenterApiException ex) when (ex.StatusCode == 404)
        {
            return SubscriptionSku.Unknown(subscription, prefix + "Partner Center has no provisioning status for the subscription.");
        }

        return id is { } entraSku
            ? new SubscriptionSku(subscription, new[] { entraSku }, LicenseReductionPlanner.ByProvisioningStatus, null)
            : SubscriptionSku.Unknown(subscription, prefix + "the subscription's provisioning status names no Microsoft Entra SKU (skuId).");
    }

    private async Task<Snapshot> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        var usageTask = ReadAllAsync(_connection.Client.ListLicenseUsage(new CommercialQuery(), _operation), r => r.CustomerId, cancellationToken);
        var deploymentTask = ReadAllAsync(_connection.Client.ListLicenseDeployment(new CommercialQuery(), _operation), r => r.CustomerId, cancellationToken);
        var (usage, usageOrder, usageNames) = await usageTask.ConfigureAwait(false);
        var (deployment, deploymentOrder, deploymentNames) = await deploymentTask.ConfigureAwait(false);
        var customers = deploymentOrder.Concat(usageOrder).Distinct()
            .Select(id => (id, deploymentNames.TryGetValue(id, out var name) ? name : usageNames.TryGetValue(id, out var other) ? other : null))
            .ToList();
        return new Snapshot(usage, deployment, customers);
    }

    private static async Task<(Dictionary<Guid, List<T>> Rows, List<Guid> Order, Dictionary<Guid, string?> Names)> ReadAllAsync<T>(
        PartnerCenterPager<T> pager, Func<T, Guid?> customerOf, CancellationToken cancellationToken)
        where T : class, ICommercialRow
    {
        var rows = new Dictionary<Guid, List<T>>();
        var order = new List<Guid>();
        var names = new Dictionary<Guid, string?>();
        while (await pager.NextPageAsync(cancellationToken).ConfigureAwait(false) is { } page)
        {
            foreach (var row in page)
            {
                if (customerOf(row) is not { } id)
                {
                    continue;
                }

                if (!rows.TryGetValue(id, out var list))
                {
                    rows.Add(id, list = new List<T>());
                    order.Add(id);
                    names[id] = row.CustomerName;
                }

                list.Add(row);
            }
        }

        return (rows, order, names);
    }

    private sealed record Snapshot(
        Dictionary<Guid, List<CustomerLicenseUsage>> Usage,
        Dictionary<Guid, List<CustomerLicenseDeployment>> Deployment,
        IReadOnlyList<(Guid CustomerId, string? CustomerName)> Customers);
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Engine.Reductions;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The Partner Center endpoints the module reads: for each, its route, the envelope its answer comes in, what the
/// request is about, and how its items become rows. A new endpoint touches only this class (and a route, a wire type and
/// a model). How a request is sent, retried, timed and turned into an exception is <see cref="PartnerCenterTransport"/>'s;
/// how a listing is paged, <see cref="PartnerCenterPager{T}"/>'s. Safe for concurrent use.
/// </summary>
public sealed class PartnerCenterClient : IDisposable
{
    private readonly PartnerCenterTransport _transport;
    private readonly CustomerDirectory _directory = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<Guid>?>>> _catalog = new(StringComparer.Ordinal);
    private volatile string? _commercialRoot;

    /// <summary>Creates a client for the API at <paramref name="baseAddress"/> (ending with a slash).</summary>
    public PartnerCenterClient(Uri baseAddress, IAccessTokenProvider tokens, PartnerCenterClientOptions? options = null)
    {
        _transport = new PartnerCenterTransport(
            baseAddress ?? throw new ArgumentNullException(nameof(baseAddress)),
            tokens ?? throw new ArgumentNullException(nameof(tokens)),
            options ?? new PartnerCenterClientOptions());
    }

    /// <summary>The API base URL.</summary>
    public Uri BaseAddress => _transport.BaseAddress;

    /// <summary>The customers this client has seen (listed, looked up, or named in rows), for completion.</summary>
    public IReadOnlyCollection<PartnerCustomer> SeenCustomers => _directory.Known;

    /// <summary>Gets the license usage rows of one customer, all of them or an exception.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="operation">The operation the request belongs to.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="companyName">The customer's name as the caller knows it, for rows whose answer names none.</param>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public Task<IReadOnlyList<CustomerLicenseUsage>> GetCustomerLicenseUsageAsync(
        Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken, string? companyName = null) =>
        GetCustomerCollectionAsync<LicenseUsageJson, CustomerLicenseUsage>(
            customerId, companyName, PartnerCenterRoutes.CustomerLicensesUsage(customerId), "the license usage", operation, cancellationToken,
            r => r.ToModel(null), (row, id, name) => (row.CustomerId, row.CustomerName) = (row.CustomerId ?? id, row.CustomerName ?? name), row => row.CustomerName);

    /// <summary>Gets the license deployment rows of one customer, all of them or an exception.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="operation">The operation the request belongs to.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="companyName">The customer's name as the caller knows it, for rows whose answer names none.</param>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public Task<IReadOnlyList<CustomerLicenseDeployment>> GetCustomerLicenseDeploymentAsync(
        Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken, string? companyName = null) =>
        GetCustomerCollectionAsync<LicenseDeploymentJson, CustomerLicenseDeployment>(
            customerId, companyName, PartnerCenterRoutes.CustomerLicensesDeployment(customerId), "the license deployment", operation, cancellationToken,
            r => r.ToModel(null), (row, id, name) => (row.CustomerId, row.CustomerName) = (row.CustomerId ?? id, row.CustomerName ?? name), row => row.CustomerName);

    /// <summary>
    /// Gets the SKUs one customer subscribes to, with their units (live counts, not analytics), all of them or an
    /// exception; of the license groups given, or of the default group when none is. The answer names no customer: the
    /// rows carry the id asked for and <paramref name="companyName"/>.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="licenseGroups">The license groups (Group1, Group2); the service's default when null or empty.</param>
    /// <param name="operation">The operation the request belongs to.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="companyName">The customer's name as the caller knows it, for rows whose answer names none.</param>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public Task<IReadOnlyList<CustomerSubscribedSku>> GetCustomerSubscribedSkusAsync(
        Guid customerId, IReadOnlyCollection<string>? licenseGroups, PartnerCenterOperation operation, CancellationToken cancellationToken, string? companyName = null) =>
        GetCustomerCollectionAsync<SubscribedSkuJson, CustomerSubscribedSku>(
            customerId, companyName, PartnerCenterRoutes.CustomerSubscribedSkus(customerId, licenseGroups), "the subscribed SKUs", operation, cancellationToken,
            r => r.ToModel(), (row, id, name) => (row.CustomerId, row.CustomerName) = (row.CustomerId ?? id, row.CustomerName ?? name), row => row.CustomerName);

    /// <summary>
    /// Gets the subscriptions of one customer, legacy and New Commerce, all of them or an exception (App-only or App+User).
    /// The answer names no customer: the rows carry the id asked for and <paramref name="companyName"/>.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="operation">The operation the request belongs to.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="companyName">The customer's name as the caller knows it.</param>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public Task<IReadOnlyList<CustomerSubscription>> GetCustomerSubscriptionsAsync(
        Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken, string? companyName = null) =>
        GetCustomerCollectionAsync<SubscriptionJson, CustomerSubscription>(
            customerId, companyName, PartnerCenterRoutes.CustomerSubscriptions(customerId), "the subscriptions", operation, cancellationToken,
            r => r.ToModel(), (row, id, name) => (row.CustomerId, row.CustomerName) = (row.CustomerId ?? id, row.CustomerName ?? name), row => null,
            requiresUser: false);

    /// <summary>
    /// One customer's collection, all of it or an exception. Such collections are not documented as paged, but they are
    /// read by the pager all the same: should one ever link to a next page, those rows are not lost. Each row gets the
    /// customer's id when the answer leaves it out, and the caller's name for the customer when the answer names none:
    /// never a name from what the connection saw before, so a row is the same whatever ran earlier.
    /// </summary>
    private async Task<IReadOnlyList<TModel>> GetCustomerCollectionAsync<TWire, TModel>(
        Guid customerId, string? companyName, string route, string subject, PartnerCenterOperation operation, CancellationToken cancellationToken,
        Func<TWire, TModel> map, Action<TModel, Guid, string?> stamp, Func<TModel, string?> customerName, bool requiresUser = true)
        where TWire : class
        where TModel : class
    {
        var what = subject + " of customer " + customerId.ToString("D", CultureInfo.InvariantCulture);
        var pager = Listing(what, EnvelopeShape.Classic, route, requiresUser, customerId, body => PartnerCenterJson.ReadPage(body, EnvelopeShape.Classic, what + " request", map), operation);
        var rows = new List<TModel>();
        while (await pager.NextPageAsync(cancellationToken).ConfigureAwait(false) is { } page)
        {
            rows.AddRange(page);
        }

        // The directory learns what the answer says, never a name the caller gave.
        _directory.Note(customerId, rows.Count > 0 ? customerName(rows[0]) : null);
        foreach (var row in rows)
        {
            stamp(row, customerId, companyName);
        }

        return rows;
    }

    /// <summary>
    /// The Microsoft Entra SKU ids a catalog SKU provisions (its dynamicAttributes.provisioningId): what a New Commerce
    /// subscription's offer joins the analytics' productId through. Asked once per SKU and country for the client's
    /// lifetime (the catalog does not change under a run; a failed request is not kept, so the next caller asks again);
    /// an empty list when the SKU names none, null when the catalog does not know the SKU (404).
    /// </summary>
    /// <exception cref="PartnerCenterException">The request failed otherwise, or the answer is unusable.</exception>
    internal Task<IReadOnlyList<Guid>?> GetCatalogProvisioningIdsAsync(
        string productId, string skuId, string country, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var route = PartnerCenterRoutes.CatalogSku(productId, skuId, country);
        var key = route.ToUpperInvariant();
        // The fetch belongs to no caller: a run stopped while it is in flight must not cancel it for a later run that
        // waits for the same SKU; each caller waits with its own token. (It ends anyway: every request has its timeout.)
        var entry = _catalog.GetOrAdd(key, _ => new Lazy<Task<IReadOnlyList<Guid>?>>(() => FetchCatalogProvisioningIdsAsync(route, operation, CancellationToken.None)));
        var fetch = entry.Value;
        _ = fetch.ContinueWith(
            _ => ((ICollection<KeyValuePair<string, Lazy<Task<IReadOnlyList<Guid>?>>>>)_catalog).Remove(new KeyValuePair<string, Lazy<Task<IReadOnlyList<Guid>?>>>(key, entry)),
            CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return WaitAsync(fetch, cancellationToken);
    }

    private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        return await task.ConfigureAwait(false);
    }

    /// <summary>
    /// The Microsoft Entra SKU id a subscription provisions (its provisioning status' skuId; App+User only): what a
    /// legacy subscription joins the analytics' productId through. Null when the status names none.
    /// </summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    internal async Task<Guid?> GetProvisionedSkuIdAsync(Guid customerId, string subscriptionId, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var request = new PartnerCenterRequest(HttpMethod.Get, Route(PartnerCenterRoutes.SubscriptionProvisioningStatus(customerId, subscriptionId)))
        {
            RequiresUser = true,
            Customer = customerId,
        };
        var response = await _transport.SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<UnreadableValue> unreadable = Array.Empty<UnreadableValue>();
        var status = response.Read(body => PartnerCenterJson.ReadObject<ProvisioningStatusJson>(body, "the subscription's provisioning status request", out unreadable));
        operation.NoteUnreadable(unreadable);
        return Guid.TryParse(status.SkuId?.Trim(), out var sku) ? sku : null;
    }

    private async Task<IReadOnlyList<Guid>?> FetchCatalogProvisioningIdsAsync(string route, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var request = new PartnerCenterRequest(HttpMethod.Get, Route(route)) { RequiresUser = false };
        PartnerCenterResponse response;
        try
        {
            response = await _transport.SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (PartnerCenterApiException ex) when (ex.StatusCode == 404)
        {
            return null;
        }

        IReadOnlyList<UnreadableValue> unreadable = Array.Empty<UnreadableValue>();
        var sku = response.Read(body => PartnerCenterJson.ReadObject<CatalogSkuJson>(body, "the catalog SKU request", out unreadable));
        operation.NoteUnreadable(unreadable);
        return ProvisioningIds.Parse(sku.DynamicAttributes?.ProvisioningId);
    }

    /// <summary>Gets one customer.</summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public async Task<PartnerCustomer> GetCustomerAsync(Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var request = new PartnerCenterRequest(HttpMethod.Get, Route(PartnerCenterRoutes.Customer(customerId))) { RequiresUser = false, Customer = customerId };
        var response = await _transport.SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<UnreadableValue> unreadable = Array.Empty<UnreadableValue>();
        var customer = response.Read(body => PartnerCenterJson.ReadObject<CustomerJson>(body, "the customer request", out unreadable)).ToCustomer();
        operation.NoteUnreadable(unreadable);
        customer.CustomerId ??= customerId;
        _directory.Note(customer);
        return customer;
    }

    /// <summary>
    /// The partner's customers, a page at a time as the caller asks for them; a customer a later page lists again is
    /// not listed twice.
    /// </summary>
    public PartnerCenterPager<PartnerCustomer> ListCustomers(CustomerFilter? filter, PartnerCenterOperation operation)
    {
        var listed = new HashSet<Guid>();
        return Listing(
            "the customer list", EnvelopeShape.Classic, PartnerCenterRoutes.Customers(PartnerCenterRoutes.CustomerPageSize, filter), requiresUser: false, customer: null,
            body =>
            {
                var page = PartnerCenterJson.ReadPage<CustomerJson, PartnerCustomer>(body, EnvelopeShape.Classic, "the customer list request", c => c.ToCustomer());
                var kept = Enumerable.Range(0, page.Items.Count).Where(i => page.Items[i].CustomerId is not { } id || listed.Add(id)).ToList();
                var fresh = kept.Select(i => page.Items[i]).ToList();
                fresh.ForEach(_directory.Note);
                return new Page<PartnerCustomer>(fresh, page.TotalCount, page.NextLink, page.ContinuationToken)
                {
                    Unreadable = page.Unreadable,
                    Prints = page.Prints is { } prints ? kept.Select(i => prints[i]).ToList() : null,
                };
            },
            operation);
    }

    /// <summary>
    /// The commercial analytics' license usage rows of the whole portfolio (or of what <paramref name="query"/>
    /// selects), a page of up to 10,000 rows at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The query uses a field the usage rows do not have.</exception>
    public PartnerCenterPager<CustomerLicenseUsage> ListLicenseUsage(CommercialQuery query, PartnerCenterOperation operation) =>
        ListCommercial<LicenseUsageJson, CustomerLicenseUsage>(CommercialReport.Usage, "the license usage report", query, operation, r =>
        {
            var row = r.ToModel(query.GroupBy);
            _directory.Note(row.CustomerId, row.CustomerName);
            return row;
        });

    /// <summary>The commercial analytics' license deployment rows of the whole portfolio, as <see cref="ListLicenseUsage"/>.</summary>
    /// <exception cref="ArgumentException">The query uses a field the deployment rows do not have.</exception>
    public PartnerCenterPager<CustomerLicenseDeployment> ListLicenseDeployment(CommercialQuery query, PartnerCenterOperation operation) =>
        ListCommercial<LicenseDeploymentJson, CustomerLicenseDeployment>(CommercialReport.Deployment, "the license deployment report", query, operation, r =>
        {
            var row = r.ToModel(query.GroupBy);
            _directory.Note(row.CustomerId, row.CustomerName);
            return row;
        });

    /// <summary>
    /// The partner's license usage aggregated over all its customers, one row per workload, service and channel
    /// (PartnerLicensesUsageInsights). Not documented as paged, but read by the pager: a next page, should the service
    /// ever link to one, is followed.
    /// </summary>
    public PartnerCenterPager<PartnerLicenseUsage> ListPartnerLicenseUsage(PartnerCenterOperation operation) =>
        ListPartnerAggregate<PartnerLicenseUsageJson, PartnerLicenseUsage>(
            PartnerCenterRoutes.PartnerLicensesUsage, "the partner's license usage", operation, r => r.ToModel());

    /// <summary>
    /// The partner's license deployment aggregated over all its customers, one row per product, service and channel
    /// (PartnerLicensesDeploymentInsights), as <see cref="ListPartnerLicenseUsage"/>.
    /// </summary>
    public PartnerCenterPager<PartnerLicenseDeployment> ListPartnerLicenseDeployment(PartnerCenterOperation operation) =>
        ListPartnerAggregate<PartnerLicenseDeploymentJson, PartnerLicenseDeployment>(
            PartnerCenterRoutes.PartnerLicensesDeployment, "the partner's license deployment", operation, r => r.ToModel());

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    // A partner-wide aggregate: a classic collection about no single customer, App+User only.
    private PartnerCenterPager<TModel> ListPartnerAggregate<TWire, TModel>(
        string route, string what, PartnerCenterOperation operation, Func<TWire, TModel> map)
        where TWire : class
        where TModel : class =>
        Listing(what, EnvelopeShape.Classic, route, requiresUser: true, customer: null, body => PartnerCenterJson.ReadPage(body, EnvelopeShape.Classic, what + " request", map), operation);

    private PartnerCenterPager<TModel> ListCommercial<TWire, TModel>(
        CommercialReport report, string what, CommercialQuery query, PartnerCenterOperation operation, Func<TWire, TModel> map)
        where TWire : class
        where TModel : class
    {
        (query ?? throw new ArgumentNullException(nameof(query))).Validate(report);
        return new PartnerCenterPager<TModel>(_transport, operation, new PartnerCenterPager<TModel>.Listing(
            what,
            EnvelopeShape.Commercial,
            requiresUser: true,
            customer: null,
            (op, ct) => SendCommercialAsync(report, query, op, ct),
            body => PartnerCenterJson.ReadPage(body, EnvelopeShape.Commercial, what + " request", map)));
    }

    // A listing whose first page is a GET of one route.
    private PartnerCenterPager<TModel> Listing<TModel>(
        string what, EnvelopeShape shape, string route, bool requiresUser, Guid? customer, Func<byte[], Page<TModel>> read, PartnerCenterOperation operation)
        where TModel : class
    {
        var first = new PartnerCenterRequest(HttpMethod.Get, Route(route)) { RequiresUser = requiresUser, Customer = customer };
        return new PartnerCenterPager<TModel>(_transport, operation, new PartnerCenterPager<TModel>.Listing(
            what,
            shape,
            requiresUser,
            customer,
            async (op, ct) => (await _transport.SendAsync(first, op, ct).ConfigureAwait(false), first.Uri),
            read));
    }

    private Uri Route(string route) => new(BaseAddress, route);

    /// <summary>
    /// Sends the first request of a commercial report. The documentation's syntax says <c>v1/analytics/...</c>, its own
    /// examples call <c>partner/v1/analytics/...</c>: the documented form is asked first, and when the service answers
    /// it with a 404 that is not a Partner Center error (a route it does not know), the other; the form that answered
    /// is kept for the connection's later requests.
    /// </summary>
    private async Task<(PartnerCenterResponse Response, Uri Requested)> SendCommercialAsync(
        CommercialReport report, CommercialQuery query, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var known = _commercialRoot;
        var roots = known is null ? new[] { PartnerCenterRoutes.DocumentedRoot, PartnerCenterRoutes.PartnerRoot } : new[] { known };
        for (var i = 0; ; i++)
        {
            var uri = Route(PartnerCenterRoutes.Commercial(roots[i], report, query));
            try
            {
                var response = await _transport.SendAsync(PartnerCenterRequest.Get(uri), operation, cancellationToken).ConfigureAwait(false);
                _commercialRoot = roots[i];
                return (response, uri);
            }
            catch (PartnerCenterApiException ex) when (ex.StatusCode == 404 && !ex.HasErrorBody && i + 1 < roots.Length)
            {
                operation.Log.Write(PartnerCenterLogLevel.Verbose, $"{uri.AbsolutePath} is not a route of this service; trying /{roots[i + 1]}analytics/commercial/...");
            }
        }
    }
}

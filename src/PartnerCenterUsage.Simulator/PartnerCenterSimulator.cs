using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PartnerCenterUsage.Simulator;

/// <summary>
/// A local Partner Center speaking the documented REST API over real HTTP (Kestrel). Tests start one in-process
/// on a free loopback port; <c>dotnet run</c> starts one on its own.
/// </summary>
public sealed class PartnerCenterSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly TokenBucket? _bucket;
    private readonly FaultDraw? _draw;
    private int _inFlight;
    private int _heldByLatency;
    private int _maxInFlight;
    private int _pagesServed;

    private PartnerCenterSimulator(WebApplication app, SimulatorOptions options, SimulatorData data)
    {
        _app = app;
        Options = options;
        Data = data;
        _bucket = options.RateLimit is { } rate ? new TokenBucket(rate, options.RateLimitBurst, options.Clock.GetUtcNow) : null;
        _draw = options.RandomFaults is { } faults ? new FaultDraw(faults) : null;
    }

    private long _stormStartTicks;
    private int _stormRefusals;

    /// <summary>The requests the throttling storm refused.</summary>
    public int StormRefusals => Volatile.Read(ref _stormRefusals);

    /// <summary>When the throttling storm began (the first request, plus ThrottleStormAfter), or null before the first request.</summary>
    public DateTimeOffset? StormStartedAt => Interlocked.Read(ref _stormStartTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) + Options.ThrottleStormAfter : null;

    // The storm begins ThrottleStormAfter after the first request (at once by default) and lasts ThrottleStorm.
    private bool InStorm()
    {
        var now = Options.Clock.GetUtcNow();
        Interlocked.CompareExchange(ref _stormStartTicks, now.UtcTicks, 0);
        var intoStorm = now.UtcTicks - Interlocked.Read(ref _stormStartTicks) - Options.ThrottleStormAfter.Ticks;
        return intoStorm >= 0 && intoStorm < Options.ThrottleStorm.Ticks;
    }

    /// <summary>The most requests that were in flight at once since the start.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How many requests in flight wait out their <see cref="SimulatorOptions.Latency"/> on the clock now.</summary>
    public int HeldByLatency => Volatile.Read(ref _heldByLatency);

    /// <summary>When the last page of the most recent customer listing was served (null before any).</summary>
    public DateTimeOffset? LastCustomerPageServedAt { get; private set; }

    /// <summary>Customer pages served.</summary>
    public int CustomerPagesServed => Volatile.Read(ref _pagesServed);


    /// <summary>The options it runs with; <see cref="SimulatorOptions.Latency"/> may be changed while it runs.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>The customers it serves to the accepted static tokens.</summary>
    public SimulatorData Data { get; }

    /// <summary>The customers of a partner tenant signed in through the identity provider: generated from a seed of its own.</summary>
    public SimulatorData DataFor(Guid partnerTenantId) =>
        _partners.GetOrAdd(partnerTenantId, id => new SimulatorData(
            Options.CustomerCount, Options.Seed ^ BitConverter.ToInt32(id.ToByteArray(), 0), Data.SubscriptionsAsOf, Options.HostileSubscriptions, Options.HistoryMonths));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, SimulatorData> _partners = new();

    /// <summary>Every request received.</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>Faults to answer with.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>The base URL, for Connect-PCPartner -Endpoint.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts a simulator; <paramref name="url"/> with port 0 picks a free port.</summary>
    public static async Task<PartnerCenterSimulator> StartAsync(
        SimulatorOptions? options = null, string url = "http://127.0.0.1:0", string[]? args = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorOptions();
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var simulator = new PartnerCenterSimulator(app, options, new SimulatorData(options));
        simulator.Map(app);
        simulator.Prepare(simulator.Data);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return simulator;
    }

    /// <summary>Waits until the simulator is stopped (Ctrl+C when run on its own).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>GET: how many requests the simulator received, as JSON; for scripts and tests in another process.</summary>
    public const string RequestCountPath = "/simulator/requests";

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(RequestCountPath, StringComparison.OrdinalIgnoreCase))
            {
                // Not part of the simulated API: not recorded, not authorized, never faulted.
                await WriteJson(context, 200, JsonSerializer.SerializeToUtf8Bytes(new { count = Requests.Count, byRoute = Requests.CountsByRoute() }));
                return;
            }

            var inFlight = Interlocked.Increment(ref _inFlight);
            for (var max = Volatile.Read(ref _maxInFlight); inFlight > max && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max; max = Volatile.Read(ref _maxInFlight))
            {
            }

            try
            {
                await Handle(context, next);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });

        app.MapGet("/v1/customers", (HttpContext context) => CustomerPage(context));
        app.MapGet("/v1/customers/{customerId:guid}", async (HttpContext context, Guid customerId) =>
        {
            var customer = ((SimulatorData)context.Items[PartnerKey]!).Find(customerId);
            if (customer is null)
            {
                await WriteError(context, 404, "60003", $"Customer tenant {customerId} was not found for this partner.");
                return;
            }

            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                SimulatorData.WriteCustomer(json, customer);
            }

            await WriteJson(context, 200, buffer.ToArray());
        });

        app.MapGet("/v1/customers/{customerId:guid}/analytics/licenses/usage", async (HttpContext context, Guid customerId) =>
        {
            var data = (SimulatorData)context.Items[PartnerKey]!;
            var customer = data.Find(customerId);
            if (customer is null)
            {
                await WriteError(context, 404, "60003", $"Customer tenant {customerId} was not found for this partner.");
                return;
            }

            await WriteJson(context, 200, data.UsageBody(customer));
        });

        app.MapGet("/v1/customers/{customerId:guid}/analytics/licenses/deployment", (HttpContext context, Guid customerId) =>
            ForCustomer(context, customerId, customer => WriteJson(context, 200, LicenseBodies.Deployment(customer))));

        app.MapGet("/v1/customers/{customerId:guid}/subscribedskus", (HttpContext context, Guid customerId) =>
            ForCustomer(context, customerId, customer =>
            {
                // Group1 (Entra-managed licenses) unless the request names its groups, as the documentation says.
                var asked = context.Request.Query["licenseGroupIds"];
                string[] groups = asked.Count == 0 ? [Licenses.EntraGroup] : [.. asked.Select(g => g ?? string.Empty)];
                var unknown = groups.FirstOrDefault(g => !LicenseBodies.LicenseGroups.Contains(g, StringComparer.OrdinalIgnoreCase));
                return unknown is null
                    ? WriteJson(context, 200, LicenseBodies.SubscribedSkus(customer, groups))
                    : WriteError(context, 400, "400", $"Invalid licenseGroupIds value '{unknown}': expected {string.Join(" or ", LicenseBodies.LicenseGroups)}.");
            }));

        // Subscriptions and the catalog answer App-only tokens too, as documented; provisioning status App+User only.
        app.MapGet("/v1/customers/{customerId:guid}/subscriptions", (HttpContext context, Guid customerId) =>
            ForCustomer(context, customerId, customer => WriteJson(context, 200, SubscriptionBodies.Collection(customer))))
            .WithMetadata(AppOnlyAllowed.Instance);
        app.MapGet("/v1/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}", (HttpContext context, Guid customerId, Guid subscriptionId) =>
            ForSubscription(context, customerId, subscriptionId, (customer, subscription) => WriteJson(context, 200, SubscriptionBodies.One(customer, subscription))))
            .WithMetadata(AppOnlyAllowed.Instance);
        app.MapGet("/v1/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}/provisioningstatus", (HttpContext context, Guid customerId, Guid subscriptionId) =>
            ForSubscription(context, customerId, subscriptionId, (_, subscription) => WriteJson(context, 200, SubscriptionBodies.ProvisioningStatus(subscription))));
        app.MapGet("/v1/products/{productId}/skus/{skuId}", (HttpContext context, string productId, string skuId) =>
        {
            var country = context.Request.Query["country"].ToString();
            if (country.Length == 0)
            {
                return WriteError(context, 400, "400", "The country parameter is required: a two-letter country code.");
            }

            if (ProductCatalog.Skus.TryGetValue(productId + ":" + skuId, out var sku))
            {
                return WriteJson(context, 200, SubscriptionBodies.CatalogSku(sku, country));
            }

            // 400013 is what the documentation gives for a product that does not exist; for a SKU of a known product, not found.
            return ProductCatalog.Skus.Values.Any(s => string.Equals(s.ProductId, productId, StringComparison.OrdinalIgnoreCase))
                ? WriteError(context, 404, "1000", $"The SKU {skuId} of product {productId} was not found.")
                : WriteError(context, 404, "400013", $"The product {productId} was not found.");
        }).WithMetadata(AppOnlyAllowed.Instance);

        app.MapGet("/v1/analytics/licenses/usage", (HttpContext context) =>
            WriteJson(context, 200, LicenseBodies.PartnerUsage((SimulatorData)context.Items[PartnerKey]!)));
        app.MapGet("/v1/analytics/licenses/deployment", (HttpContext context) =>
            WriteJson(context, 200, LicenseBodies.PartnerDeployment((SimulatorData)context.Items[PartnerKey]!)));

        foreach (var prefix in (string[])["/v1", "/partner/v1"])
        {
            app.MapGet(prefix + "/analytics/commercial/usage/license", (HttpContext context) =>
                CommercialPage(context, UsageReport));
            app.MapGet(prefix + "/analytics/commercial/deployment/license", (HttpContext context) =>
                CommercialPage(context, DeploymentReport));
        }

        // Anything else is not part of the simulated API: answer as Partner Center does, with an error body.
        app.MapFallback((HttpContext context) => WriteError(context, 404, "1000", $"Resource {context.Request.Path} not found."));
    }

    // The answer about one customer of the caller's partner, or the 404 Partner Center gives for a customer it does not know.
    private static Task ForCustomer(HttpContext context, Guid customerId, Func<SimulatedCustomer, Task> answer) =>
        ((SimulatorData)context.Items[PartnerKey]!).Find(customerId) is { } customer
            ? answer(customer)
            : WriteError(context, 404, "60003", $"Customer tenant {customerId} was not found for this partner.");

    // The answer about one subscription of a customer, or a 404: 60003 for the customer, 1000 for the subscription.
    private static Task ForSubscription(HttpContext context, Guid customerId, Guid subscriptionId, Func<SimulatedCustomer, SimulatedSubscription, Task> answer) =>
        ForCustomer(context, customerId, customer => customer.Subscriptions.FirstOrDefault(s => s.Id == subscriptionId) is { } subscription
            ? answer(customer, subscription)
            : WriteError(context, 404, "1000", $"Subscription {subscriptionId} was not found for customer {customerId}."));

    /// <summary>Endpoint metadata: the route answers App-only tokens, as Partner Center documents for it.</summary>
    private sealed class AppOnlyAllowed
    {
        public static readonly AppOnlyAllowed Instance = new();
    }

    private const string PartnerKey = "partner-data";
    private const string RecordKey = "recorded-request";

    private async Task Handle(HttpContext context, RequestDelegate next)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? RequestLog.UnmatchedRoute;
        var recorded = Requests.Record(context.Request, route, Options.RecordRequests, Options.Clock.GetUtcNow());
        context.Response.OnStarting(() =>
        {
            if (!recorded.Dropped)
            {
                recorded.StatusCode = context.Response.StatusCode;
            }

            return Task.CompletedTask;
        });
        context.Items[RecordKey] = recorded;
        EchoHeaders(context);

        if (Options.Latency > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _heldByLatency);
            try
            {
                await Task.Delay(Options.Latency, Options.Clock, context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _heldByLatency);
            }
        }

        if (!Authorized(context, out var partner, out var refusal))
        {
            await WriteError(context, 401, refusal.Code, refusal.Description);
            return;
        }

        context.Items[PartnerKey] = partner is { } tenant ? DataFor(tenant) : Data;

        if (Options.ThrottleStorm > TimeSpan.Zero && InStorm())
        {
            Interlocked.Increment(ref _stormRefusals);
            await Answer(context, InjectedFault.Throttle(Options.ThrottleStormRetryAfter));
            return;
        }

        if (_bucket is not null && !_bucket.TryTake(out var wait))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            await Answer(context, InjectedFault.Throttle(
                Options.RetryAfterAsDate ? Options.Clock.GetUtcNow().AddSeconds(seconds).ToString("R", CultureInfo.InvariantCulture) : seconds.ToString(CultureInfo.InvariantCulture)));
            return;
        }

        var fault = Faults.Take(CustomerIdOf(context.Request.Path), context.Request.Path.Value ?? string.Empty) ?? _draw?.Next();
        if (fault is { StatusCode: 0 })
        {
            // A slow answer: the delay, then the real answer.
            await Task.Delay(fault.Delay, Options.Clock, context.RequestAborted);
        }
        else if (fault is not null)
        {
            await Answer(context, fault);
            return;
        }

        await next(context);
    }

    // GET /v1/customers?size=N[&filter=...], then the next pages with seekOperation=Next and the MS-ContinuationToken header.
    private async Task CustomerPage(HttpContext context)
    {
        var data = (SimulatorData)context.Items[PartnerKey]!;
        var query = context.Request.Query;
        if (!int.TryParse(query["size"], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0)
        {
            await WriteError(context, 400, "600", "The size parameter is required and must be a positive integer.");
            return;
        }

        var filter = query["filter"].ToString();
        IEnumerable<SimulatedCustomer> customers = data.Customers;
        if (filter.Length > 0)
        {
            CustomerFilter? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<CustomerFilter>(filter);
            }
            catch (JsonException)
            {
                parsed = null;
            }

            if (parsed is null || parsed.Operator != "starts_with" || parsed.Field is not ("CompanyName" or "Domain") || parsed.Value is null)
            {
                await WriteError(context, 400, "600", "The filter is not valid.");
                return;
            }

            customers = customers.Where(c => (parsed.Field == "CompanyName" ? c.CompanyName : c.Domain).StartsWith(parsed.Value, StringComparison.OrdinalIgnoreCase));
        }

        var offset = 0;
        if (query["seekOperation"] == "Next")
        {
            var token = context.Request.Headers["MS-ContinuationToken"].ToString();
            var decoded = token.Length == 0 ? null : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
            if (decoded is null || decoded.Length != 2 || decoded[1] != filter || !int.TryParse(decoded[0], CultureInfo.InvariantCulture, out offset))
            {
                await WriteError(context, 400, "600", "The continuation token is missing or not valid.");
                return;
            }
        }

        var all = customers.ToList();
        size = Math.Min(size, Options.MaxPageSize);
        var page = all.Skip(offset).Take(size).ToList();
        var next = offset + page.Count;
        var pageNumber = Interlocked.Increment(ref _pagesServed);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("totalCount", page.Count);
            json.WriteStartArray("items");
            foreach (var customer in page)
            {
                SimulatorData.WriteCustomer(json, customer);
            }

            json.WriteEndArray();
            if (next < all.Count)
            {
                var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{next}|{filter}")));
                var relative = $"/customers?size={size}" + (filter.Length > 0 ? "&filter=" + Uri.EscapeDataString(filter) : string.Empty) + "&seekOperation=Next";
                var absolute = Options.NextLinks == NextLinkStyle.Absolute || (Options.NextLinks == NextLinkStyle.Alternate && pageNumber % 2 == 0);
                json.WriteString("continuationToken", token);
                json.WriteStartObject("links");
                json.WriteStartObject("next");
                json.WriteString("uri", absolute ? new Uri(BaseAddress, "v1" + relative).ToString() : relative);
                json.WriteString("method", "GET");
                json.WriteStartArray("headers");
                json.WriteStartObject();
                json.WriteString("key", "MS-ContinuationToken");
                json.WriteString("value", token);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }
            else
            {
                LastCustomerPageServedAt = Options.Clock.GetUtcNow();
            }

            json.WriteStartObject("attributes");
            json.WriteString("objectType", "Collection");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        await WriteJson(context, 200, buffer.ToArray());
    }

    private sealed record CustomerFilter(string? Field, string? Value, string? Operator);

    // GET [/partner]/v1/analytics/commercial/{usage|deployment}/license?top=&skip=&filter=&groupby=&processedDateTime=
    // The data never changes: each report's rows are built once per partner and month, not for every page (a page of
    // 10,000 rows is asked for in a few milliseconds by the real service; rebuilding 60,000 rows would dwarf that).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(SimulatorData, string, int), CommercialReport> _reports = new();

    private CommercialReport Report(SimulatorData data, string key, int monthsBack, Func<SimulatorData, int, CommercialReport> build) =>
        _reports.GetOrAdd((data, key, monthsBack), k => build(k.Item1, k.Item3));

    private CommercialReport UsageReport(SimulatorData data, int monthsBack) =>
        Report(data, "usage:" + Options.UsageActiveFieldName, monthsBack, (d, k) => CommercialReport.Usage(d, k, Options.UsageActiveFieldName));

    private CommercialReport DeploymentReport(SimulatorData data, int monthsBack) => Report(data, "deployment", monthsBack, CommercialReport.Deployment);

    // Built before the first request, so that what a request costs is what serving it costs; the earlier months too
    // when they are asked for (without them, nothing of them is built).
    private void Prepare(SimulatorData data)
    {
        for (var k = 0; k <= data.HistoryMonths; k++)
        {
            UsageReport(data, k);
            DeploymentReport(data, k);
        }
    }

    private async Task CommercialPage(HttpContext context, Func<SimulatorData, int, CommercialReport> reportOf)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var partnerPrefix = path.StartsWith("/partner/", StringComparison.OrdinalIgnoreCase);
        if (Options.CommercialPaths == (partnerPrefix ? CommercialPathForm.DocumentedOnly : CommercialPathForm.PartnerPrefixOnly))
        {
            // A gateway that does not know the route, not Partner Center: no error body, which is how a client tells the forms apart.
            context.Response.StatusCode = 404;
            context.Response.ContentLength = 0;
            return;
        }

        // Every month's report has the same fields: the latest's read the query, whose date then picks the month; a date
        // without data leaves the latest's, which answers it with no rows.
        var data = (SimulatorData)context.Items[PartnerKey]!;
        var report = reportOf(data, 0);
        if (!CommercialQuery.TryParse(context.Request.Query, report.Fields, out var query, out var error))
        {
            await WriteError(context, 400, "400", error);
            return;
        }

        if (data.MonthsBackOf(query.ProcessedDate) is int monthsBack and > 0)
        {
            report = reportOf(data, monthsBack);
        }

        // A configured page size below 1 would give empty pages whose links never move on.
        var (fields, rows) = report.Select(query);
        var page = rows.Skip(query.Skip).Take(Math.Min(query.Top, Math.Max(1, Options.CommercialMaxPageSize))).ToList();
        var nextSkip = query.Skip + page.Count;
        var next = nextSkip >= rows.Count ? null : Options.CommercialNextLink switch
        {
            CommercialNextLinkStyle.Relative => query.NextPage(path, nextSkip),
            CommercialNextLinkStyle.Absolute => new Uri(BaseAddress, query.NextPage(path, nextSkip)).ToString(),
            _ => null,
        };

        var pascal = Options.CommercialEnvelopeCasing == EnvelopeCasing.Pascal;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray(pascal ? "Value" : "value");
            foreach (var row in page)
            {
                json.WriteStartObject();
                for (var i = 0; i < fields.Count; i++)
                {
                    json.WriteString(fields[i], row.Values[i]);
                }

                for (var i = 0; i < report.Measures.Count; i++)
                {
                    json.WriteNumber(report.Measures[i], row.Measures[i]);
                }

                // No offset, as in the documentation's examples: clients read it as UTC.
                json.WriteString("processedDateTime", row.ProcessedDateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("@nextLink", next);
            json.WriteNumber(pascal ? "TotalCount" : "totalCount", rows.Count);
            json.WriteEndObject();
        }

        await WriteJson(context, 200, buffer.ToArray());
    }

    private bool Authorized(HttpContext context, out Guid? partnerTenant, out (string Code, string Description) refusal)
    {
        partnerTenant = null;
        refusal = default;
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            refusal = ("800001", "Partner token is missing.");
            return false;
        }

        const string Bearer = "Bearer ";
        var token = header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : string.Empty;
        if (Options.AcceptedTokens.Contains(token))
        {
            return true;
        }

        var appOnlyAllowed = context.GetEndpoint()?.Metadata.GetMetadata<AppOnlyAllowed>() is not null;
        const string AppOnlyRefused = "Access denied: App-only tokens are not supported for this operation; use App+User.";
        if (Options.AppOnlyTokens.Contains(token))
        {
            refusal = ("400", AppOnlyRefused);
            return appOnlyAllowed;
        }

        string? why = null;
        if (Options.IdentityProvider is { } idp && idp.TryValidate(token, out var user, out var appOnly, out var amr, out why))
        {
            if (appOnly)
            {
                // An app has no partner tenant of its own here: it sees the static tokens' customers.
                refusal = ("400", AppOnlyRefused);
                return appOnlyAllowed;
            }

            if (!amr.Contains("mfa", StringComparer.OrdinalIgnoreCase))
            {
                refusal = ("900421", "Multi-factor authentication is required: the token's amr claim does not contain mfa.");
                return false;
            }

            partnerTenant = user!.TenantId;
            return true;
        }

        refusal = ("400", "Access denied: " + (why ?? "the bearer token is not valid."));
        return false;
    }

    private static Guid? CustomerIdOf(PathString path)
    {
        var segments = (path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (string.Equals(segments[i], "customers", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(segments[i + 1], out var id))
            {
                return id;
            }
        }

        return null;
    }

    private static void EchoHeaders(HttpContext context)
    {
        var request = context.Request.Headers;
        var response = context.Response.Headers;
        response["MS-RequestId"] = request.TryGetValue("MS-RequestId", out var requestId) ? requestId : Guid.NewGuid().ToString();
        if (request.TryGetValue("MS-CorrelationId", out var correlationId))
        {
            response["MS-CorrelationId"] = correlationId;
        }

        response["MS-CV"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..16] + ".0";
        response["MS-ServerId"] = "simulator";
    }

    private async Task Answer(HttpContext context, InjectedFault fault)
    {
        if (fault.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay, Options.Clock, context.RequestAborted);
        }

        if (fault.DropConnection)
        {
            if (context.Items[RecordKey] is RecordedRequest recorded)
            {
                recorded.Dropped = true;
            }

            context.Abort();
            return;
        }

        context.Response.StatusCode = fault.StatusCode;
        if (fault.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = fault.RetryAfter;
        }

        if ((fault.BodyBytes ?? (fault.Body is null ? null : Bodies.Utf8(fault.Body))) is { } body)
        {
            context.Response.ContentType = fault.ContentType;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static Task WriteError(HttpContext context, int status, string code, string description) =>
        WriteJson(context, status, JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(code, description, [], "PartnerFD")));

    private static async Task WriteJson(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private sealed record ErrorBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("code")] string Code,
        [property: System.Text.Json.Serialization.JsonPropertyName("description")] string Description,
        [property: System.Text.Json.Serialization.JsonPropertyName("data")] string[] Data,
        [property: System.Text.Json.Serialization.JsonPropertyName("source")] string Source);

    /// <summary>For messages: the simulator's URL and token.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Partner Center simulator at {BaseAddress}");
}

using System.Net;
using System.Net.Sockets;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>The engine's client against the simulator, without PowerShell.</summary>
public sealed class PartnerCenterClientTests
{
    private static PartnerConnection Connect(PartnerCenterSimulator simulator, TimeProvider? clock = null) =>
        PartnerConnection.FromAccessToken("Bearer " + SimulatorOptions.DefaultToken, PartnerCenterEnvironment.Global, simulator.BaseAddress,
            new PartnerCenterClientOptions { MaxRetryAttempts = 0, MaxThrottleWait = TimeSpan.Zero, TimeProvider = clock ?? TimeProvider.System });

    /// <summary>A simulator whose answers take an hour of a clock that moves only when told.</summary>
    private static async Task<(PartnerCenterSimulator Simulator, TestClock Clock)> StartSlowAsync()
    {
        var clock = new TestClock(autoAdvance: false);
        return (await PartnerCenterSimulator.StartAsync(new SimulatorOptions { Latency = TimeSpan.FromHours(1), TimeProvider = clock }), clock);
    }

    [Fact]
    public async Task The_response_omitting_customerId_gets_the_requested_one()
    {
        await using var simulator = await PartnerCenterSimulator.StartAsync();
        using var connection = Connect(simulator);

        var rows = await connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None);

        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(SimulatorOptions.SeedCustomerId, r.CustomerId));
    }

    [Fact]
    public async Task A_catalog_sku_is_asked_once_and_a_caller_that_gives_up_does_not_cancel_it_for_the_next()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var simulator = await PartnerCenterSimulator.StartAsync(new SimulatorOptions { Latency = TimeSpan.FromSeconds(10), TimeProvider = clock });
        using var connection = Connect(simulator, clock);
        var sku = simulator.Data.Customers.SelectMany(c => c.Subscriptions).First(s => s.CatalogSku is { ProvisioningIds.Count: 1 }).CatalogSku!;
        using var stopped = new CancellationTokenSource();

        var first = connection.Client.GetCatalogProvisioningIdsAsync(sku.ProductId, sku.SkuId, "US", new PartnerCenterOperation(), stopped.Token);
        await Waits.UntilAsync(() => simulator.InFlight == 1);
        var second = connection.Client.GetCatalogProvisioningIdsAsync(sku.ProductId.ToLowerInvariant(), sku.SkuId, "us", new PartnerCenterOperation(), CancellationToken.None);
        stopped.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(sku.ProvisioningIds, await second);
        Assert.Equal(sku.ProvisioningIds, await connection.Client.GetCatalogProvisioningIdsAsync(sku.ProductId, sku.SkuId, "US", new PartnerCenterOperation(), CancellationToken.None));
        Assert.Single(simulator.Requests.Snapshot(), r => r.Path.StartsWith("/v1/products/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_answer_is_a_timeout_not_a_cancellation()
    {
        var (simulator, clock) = await StartSlowAsync();
        await using var _ = simulator;
        using var connection = Connect(simulator, clock);

        var request = connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None);
        await Waits.UntilAsync(() => simulator.InFlight == 1);
        Assert.Equal([new PartnerCenterClientOptions().RequestTimeout], clock.PendingTimeouts);
        clock.Advance(new PartnerCenterClientOptions().RequestTimeout);

        var error = await Assert.ThrowsAsync<PartnerCenterTransportException>(() => request);
        Assert.True(error.IsTimeout);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_an_error()
    {
        var (simulator, clock) = await StartSlowAsync();
        await using var _ = simulator;
        using var connection = Connect(simulator, clock);
        using var cancellation = new CancellationTokenSource();

        var request = connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), cancellation.Token);
        await Waits.UntilAsync(() => simulator.InFlight == 1);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Waits.UntilAsync(() => simulator.InFlight == 0);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_failure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        // The default retries, their backoff passed at once on a test clock rather than waited out in real seconds.
        using var connection = PartnerConnection.FromAccessToken("t", PartnerCenterEnvironment.Global, new Uri($"http://127.0.0.1:{port}"),
            new PartnerCenterClientOptions { TimeProvider = new TestClock() });

        var error = await Assert.ThrowsAsync<PartnerCenterTransportException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(Guid.NewGuid(), new PartnerCenterOperation(), CancellationToken.None));

        Assert.False(error.IsTimeout);
    }

    [Theory]
    [InlineData("57", 57)]
    [InlineData(null, null)]
    public async Task Throttling_carries_the_servers_Retry_After(string? retryAfter, int? seconds)
    {
        await using var simulator = await PartnerCenterSimulator.StartAsync();
        simulator.Faults.Add(InjectedFault.Throttle(retryAfter));
        using var connection = Connect(simulator);

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Equal(429, error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.StartsWith("Rate limit is exceeded", error.ErrorDescription, StringComparison.Ordinal);
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), error.RetryAfter);
    }

    [Fact]
    public async Task A_Retry_After_date_becomes_the_wait_until_then()
    {
        await using var simulator = await PartnerCenterSimulator.StartAsync();
        var clock = new TestClock(autoAdvance: false);
        simulator.Faults.Add(InjectedFault.Throttle(clock.GetUtcNow().AddSeconds(30).ToString("R")));
        // No throttled time allowed: the 429 is final at once, with the wait it asked for.
        using var connection = PartnerConnection.FromAccessToken("Bearer " + SimulatorOptions.DefaultToken, PartnerCenterEnvironment.Global, simulator.BaseAddress,
            new PartnerCenterClientOptions { MaxRetryAttempts = 0, MaxThrottleWait = TimeSpan.Zero, TimeProvider = clock });

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Fact]
    public async Task Each_call_is_logged_once_per_level_through_the_operations_log()
    {
        await using var simulator = await PartnerCenterSimulator.StartAsync();
        using var connection = Connect(simulator);
        var log = new ListLog();
        var operation = new PartnerCenterOperation(log);

        await connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, operation, CancellationToken.None);

        Assert.Single(log.Messages, m => m.Level == PartnerCenterLogLevel.Verbose);
        Assert.Contains(log.Messages, m => m.Level == PartnerCenterLogLevel.Debug && m.Text.Contains(operation.CorrelationId.ToString(), StringComparison.Ordinal));
        Assert.Equal(operation.CorrelationId.ToString(), simulator.Requests.Snapshot().Single().Header("MS-CorrelationId"));
    }

    private sealed class ListLog : IPartnerCenterLog
    {
        public List<(PartnerCenterLogLevel Level, string Text)> Messages { get; } = [];

        public void Write(PartnerCenterLogLevel level, string message)
        {
            lock (Messages)
            {
                Messages.Add((level, message));
            }
        }
    }
}

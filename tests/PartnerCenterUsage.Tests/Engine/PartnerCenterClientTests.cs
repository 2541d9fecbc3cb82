using System.Net;
using System.Net.Sockets;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>The engine's client against the simulator, without PowerShell.</summary>
public sealed class PartnerCenterClientTests
{
    private static PartnerConnection Connect(PartnerCenterSimulator simulator, TimeSpan? timeout = null) =>
        PartnerConnection.FromAccessToken("Bearer " + SimulatorOptions.DefaultToken, PartnerCenterEnvironment.Global, simulator.BaseAddress,
            new PartnerCenterClientOptions { RequestTimeout = timeout ?? TimeSpan.FromSeconds(100), MaxRetryAttempts = 0 });

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
    public async Task A_slow_answer_is_a_timeout_not_a_cancellation()
    {
        await using var simulator = await PartnerCenterSimulator.StartAsync(new SimulatorOptions { Latency = TimeSpan.FromSeconds(5) });
        using var connection = Connect(simulator, TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<PartnerCenterTransportException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None));

        Assert.True(error.IsTimeout);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_an_error()
    {
        await using var simulator = await PartnerCenterSimulator.StartAsync(new SimulatorOptions { Latency = TimeSpan.FromSeconds(5) });
        using var connection = Connect(simulator);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), cancellation.Token));
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_failure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var connection = PartnerConnection.FromAccessToken("t", PartnerCenterEnvironment.Global, new Uri($"http://127.0.0.1:{port}"));

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
        simulator.Faults.Add(InjectedFault.Throttle(DateTimeOffset.UtcNow.AddSeconds(30).ToString("R")));
        using var connection = Connect(simulator);

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None));

        Assert.InRange(error.RetryAfter!.Value.TotalSeconds, 20, 31);
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

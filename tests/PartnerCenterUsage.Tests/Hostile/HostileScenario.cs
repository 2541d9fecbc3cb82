using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// A <see cref="HostileServer"/> and a runspace with the built module imported, connected to it with a token the server
/// may echo, on a <see cref="TestClock"/> that the module and the server share.
/// </summary>
public sealed class HostileScenario : IAsyncDisposable
{
    private HostileScenario(HostileServer server, HostedPowerShell shell, TestClock clock)
    {
        Server = server;
        Shell = shell;
        Clock = clock;
    }

    /// <summary>The connection's token: a JWT, so that a test can look for it, or any part of it, in what a user sees.</summary>
    public static string Token { get; } = TestTokens.User(DateTimeOffset.UtcNow.AddYears(1));

    public HostileServer Server { get; }

    public HostedPowerShell Shell { get; }

    public TestClock Clock { get; }

    /// <param name="client">Changes the connection's settings (timeouts, caps) before it is made.</param>
    public static async Task<HostileScenario> StartAsync(Action<PartnerCenterClientOptions>? client = null)
    {
        var clock = new TestClock();
        var server = await HostileServer.StartAsync(clock);
        var settings = new PartnerCenterClientOptions { TimeProvider = clock };
        client?.Invoke(settings);
        var shell = new HostedPowerShell();
        shell.UseConnection(PartnerConnection.FromAccessToken(Token, PartnerCenterEnvironment.Global, server.BaseAddress, settings));
        return new HostileScenario(server, shell, clock);
    }

    /// <summary>
    /// Runs a script, catching a terminating error so that the run's output, its other streams and that error can all
    /// be looked at.
    /// </summary>
    public HostileRun Run(string script, params object?[] arguments)
    {
        var result = Shell.Invoke($"try {{ {script} }} catch {{ [pscustomobject]@{{ HostileRunTerminating = $_ }} }}", arguments);
        var caught = (result.Output.Count > 0 ? result.Output[^1] : null)?.Properties["HostileRunTerminating"]?.Value;
        var terminating = (caught is PSObject wrapped ? wrapped.BaseObject : caught) as ErrorRecord;
        return new HostileRun(result, terminating);
    }

    /// <summary>
    /// Runs a script in simulated time: waits end together when the run is quiet, and when the last request the server
    /// received is still unanswered and nothing else waits, the module's timeouts fire.
    /// </summary>
    public async Task<HostileRun> RunTimedAsync(string script, params object?[] arguments)
    {
        await using var time = Clock.RunVirtualTime(TimeSpan.FromMilliseconds(30), () => Server.Requests is { Count: > 0 } seen && seen[^1].Outcome == HostileOutcome.Pending);
        return await Task.Run(() => Run(script, arguments));
    }

    /// <summary>The requests whose path contains <paramref name="text"/>.</summary>
    public IReadOnlyList<HostileRequest> RequestsTo(string text) =>
        Server.Requests.Where(r => r.Path.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();

    public async ValueTask DisposeAsync()
    {
        Shell.Dispose();
        await Server.DisposeAsync();
    }
}

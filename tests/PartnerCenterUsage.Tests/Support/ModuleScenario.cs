using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// A simulator and a runspace with the built module imported, connected to it unless asked not to be. The module,
/// the simulator and the test share one <see cref="TestClock"/>: waits pass at once, timeouts when the test says.
/// </summary>
public sealed class ModuleScenario : IAsyncDisposable
{
    private ModuleScenario(PartnerCenterSimulator simulator, HostedPowerShell shell, TestClock clock)
    {
        Simulator = simulator;
        Shell = shell;
        Clock = clock;
    }

    public PartnerCenterSimulator Simulator { get; }

    public HostedPowerShell Shell { get; }

    /// <summary>The time of the module's connection and, unless the test gave it another clock, of the simulator.</summary>
    public TestClock Clock { get; }

    /// <param name="options">The simulator; its clock is the scenario's unless the test sets one (the system clock for real latency).</param>
    /// <param name="connect">False to start without a connection (tests of Connect-PCPartner).</param>
    /// <param name="client">Changes the connection's settings (retries, timeouts) before it is made.</param>
    public static async Task<ModuleScenario> StartAsync(SimulatorOptions? options = null, bool connect = true, Action<PartnerCenterClientOptions>? client = null)
    {
        options ??= new SimulatorOptions();
        var clock = new TestClock();
        options.TimeProvider ??= clock;
        var simulator = await PartnerCenterSimulator.StartAsync(options);
        var scenario = new ModuleScenario(simulator, new HostedPowerShell(), clock);
        if (connect)
        {
            scenario.Connect(client);
        }

        return scenario;
    }

    /// <summary>
    /// Connects the runspace to the simulator as Connect-PCPartner -AccessToken does, but on the scenario's clock, and
    /// forgets the requests so far.
    /// </summary>
    public void Connect(Action<PartnerCenterClientOptions>? client = null, string? token = null)
    {
        var settings = new PartnerCenterClientOptions { TimeProvider = Clock };
        client?.Invoke(settings);
        Shell.UseConnection(PartnerConnection.FromAccessToken(
            token ?? Simulator.Options.AcceptedTokens.First(), PartnerCenterEnvironment.Global, Simulator.BaseAddress, settings));
        Simulator.Requests.Clear();
    }

    public PipelineResult Run(string script, params object?[] arguments) => Shell.Invoke(script, arguments);

    /// <summary>
    /// Returns when exactly <paramref name="requests"/> requests are in flight at the simulator, each held by its
    /// latency on the scenario's clock (which must not advance by itself), so that advancing the clock answers them all.
    /// </summary>
    public Task HeldAtTheSimulatorAsync(int requests) =>
        Waits.UntilAsync(() => Simulator.InFlight == requests && Clock.PendingWaits == requests);

    /// <summary>
    /// Runs simulated time (<see cref="TestClock.RunVirtualTime"/>) that moves only while every request at the simulator
    /// is waiting out its latency on the clock: never while one is being answered in real time, so a loaded machine
    /// cannot make an answer seem to take simulated minutes. Dispose to stop.
    /// </summary>
    public IAsyncDisposable RunVirtualTime() =>
        Clock.RunVirtualTime(TimeSpan.FromMilliseconds(30), canMove: () => Simulator.InFlight == Simulator.HeldByLatency);

    /// <summary>Runs a script that must fail with a terminating error, and returns that error.</summary>
    public ErrorRecord RunTerminating(string script, params object?[] arguments) => Shell.InvokeTerminating(script, arguments);

    /// <summary>Customers of the simulator that have usage rows.</summary>
    public IReadOnlyList<SimulatedCustomer> CustomersWithUsage(int count) =>
        Simulator.Data.Customers.Skip(1).Where(c => c.Usage.Count > 0).Take(count).ToList();

    public async ValueTask DisposeAsync()
    {
        Shell.Dispose();
        await Simulator.DisposeAsync();
    }
}

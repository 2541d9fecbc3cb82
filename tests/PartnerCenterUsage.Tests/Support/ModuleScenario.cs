using System.Management.Automation;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>A simulator and a runspace with the built module imported, connected to it unless asked not to be.</summary>
public sealed class ModuleScenario : IAsyncDisposable
{
    private ModuleScenario(PartnerCenterSimulator simulator, HostedPowerShell shell)
    {
        Simulator = simulator;
        Shell = shell;
    }

    /// <summary>Connect-PCPartner parameters that keep retries of transient failures quick in tests.</summary>
    public const string FastRetries = "-RetryDelay 00:00:00.010";

    public PartnerCenterSimulator Simulator { get; }

    public HostedPowerShell Shell { get; }

    public static async Task<ModuleScenario> StartAsync(SimulatorOptions? options = null, bool connect = true)
    {
        var simulator = await PartnerCenterSimulator.StartAsync(options);
        var scenario = new ModuleScenario(simulator, new HostedPowerShell());
        if (connect)
        {
            scenario.Run($"Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] {FastRetries} | Out-Null",
                (options ?? simulator.Options).AcceptedTokens.First(), simulator.BaseAddress);
            simulator.Requests.Clear();
        }

        return scenario;
    }

    public PipelineResult Run(string script, params object?[] arguments) => Shell.Invoke(script, arguments);

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

/// <summary>Reads properties of output objects the way a script does, whatever assembly their type lives in.</summary>
public static class PSObjectExtensions
{
    public static object? Prop(this PSObject value, string name) => value.Properties[name]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v) : null;

    public static T Prop<T>(this PSObject value, string name) => (T)value.Prop(name)!;

    public static string TypeName(this PSObject value) => value.TypeNames[0];
}

public static class HostedPowerShellExtensions
{
    /// <summary>
    /// Runs a script that must stop with a terminating error and returns it. A try/catch catches terminating
    /// errors only, so a non-terminating error (or none) fails the assertion.
    /// </summary>
    public static ErrorRecord InvokeTerminating(this PartnerCenterUsage.Runner.HostedPowerShell shell, string script, params object?[] arguments)
    {
        var result = shell.Invoke($"try {{ {script} }} catch {{ [pscustomobject]@{{ Terminating = $_ }} }}", arguments);
        var caught = result.Output.Count > 0 ? result.Output[^1]?.Properties["Terminating"]?.Value : null;
        var record = caught is PSObject wrapped ? wrapped.BaseObject : caught;
        return Assert.IsType<ErrorRecord>(record);
    }
}

public static class PipelineResultExtensions
{
    /// <summary>
    /// Everything a user could see of the runs: each output object and its properties, every error with its
    /// exception and advice, and the Verbose, Debug, Warning and Information streams.
    /// </summary>
    public static string VisibleText(this IEnumerable<PartnerCenterUsage.Runner.PipelineResult> runs)
    {
        var seen = new System.Text.StringBuilder();
        foreach (var run in runs)
        {
            foreach (var value in run.Output)
            {
                seen.AppendLine(value.ToString());
                foreach (var property in value.Properties)
                {
                    seen.AppendLine(property.Value?.ToString());
                }
            }

            foreach (var error in run.Errors)
            {
                seen.AppendLine(error.ToString()).AppendLine(error.Exception.ToString()).AppendLine(error.ErrorDetails?.RecommendedAction);
            }

            seen.AppendJoin('\n', run.Verbose).AppendJoin('\n', run.Debug).AppendJoin('\n', run.Warnings).AppendJoin('\n', run.Information);
        }

        return seen.ToString();
    }
}

using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace PartnerCenterUsage.Runner;

/// <summary>
/// One runspace of the real PowerShell 7.6 engine with the built module imported from out/, as a user would
/// import it. What Out-Default renders goes to <see cref="Console"/>.
/// </summary>
public sealed class HostedPowerShell : IDisposable
{
    private readonly Runspace _runspace;
    private readonly StringWriter _console = new();

    /// <summary>Opens a runspace and imports the module.</summary>
    /// <param name="importModule">False to get a runspace without the module (to test Import-Module itself).</param>
    /// <param name="console">Where Out-Default output goes; null to keep it in <see cref="ConsoleText"/>.</param>
    /// <param name="ansi">True to let PowerShell colour its output with escape sequences (a terminal).</param>
    /// <param name="configure">Adds to the session state before the runspace opens (commands of a benchmark, say).</param>
    public HostedPowerShell(bool importModule = true, TextWriter? console = null, bool ansi = false, Action<InitialSessionState>? configure = null)
    {
        var state = InitialSessionState.CreateDefault2();
        configure?.Invoke(state);
        _runspace = RunspaceFactory.CreateRunspace(new TextHost(console ?? _console, ansi: ansi), state);
        _runspace.Open();
        if (importModule)
        {
            Invoke("Import-Module -Name $args[0] -ErrorAction Stop", ModuleManifestPath);
        }
    }

    /// <summary>The module manifest this build produced (out/PartnerCenterUsage/PartnerCenterUsage.psd1).</summary>
    public static string ModuleManifestPath { get; } =
        Environment.GetEnvironmentVariable("PARTNERCENTERUSAGE_MODULE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : typeof(HostedPowerShell).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleManifest").Value!;

    /// <summary>The runspace, for tests that need two of them or its state.</summary>
    public Runspace Runspace => _runspace;

    /// <summary>What Out-Default rendered so far (when no console writer was given).</summary>
    public string ConsoleText => _console.ToString();

    /// <summary>Runs a script; <c>$args</c> holds <paramref name="arguments"/>. Terminating errors throw.</summary>
    public PipelineResult Invoke(string script, params object?[] arguments)
    {
        using var shell = Begin(script, arguments);
        return new PipelineResult(shell.Invoke(), shell.Streams);
    }

    /// <summary>Starts a script without waiting, for tests of Stop().</summary>
    public PowerShell Begin(string script, params object?[] arguments)
    {
        var shell = PowerShell.Create(_runspace);
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        return shell;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _runspace.Dispose();
        _console.Dispose();
    }
}

/// <summary>What a pipeline wrote to each stream.</summary>
public sealed class PipelineResult(Collection<PSObject> output, PSDataStreams streams)
{
    /// <summary>The output objects.</summary>
    public IReadOnlyList<PSObject> Output { get; } = output;

    /// <summary>The base objects of the output.</summary>
    public IReadOnlyList<object> Objects { get; } = output.Where(o => o is not null).Select(o => o.BaseObject).ToList();

    /// <summary>Non-terminating errors.</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; } = [.. streams.Error];

    /// <summary>Warnings.</summary>
    public IReadOnlyList<string> Warnings { get; } = streams.Warning.Select(w => w.Message).ToList();

    /// <summary>Verbose messages.</summary>
    public IReadOnlyList<string> Verbose { get; } = streams.Verbose.Select(v => v.Message).ToList();

    /// <summary>Debug messages.</summary>
    public IReadOnlyList<string> Debug { get; } = streams.Debug.Select(d => d.Message).ToList();

    /// <summary>Information messages.</summary>
    public IReadOnlyList<string> Information { get; } = streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty).ToList();

    /// <summary>Progress records.</summary>
    public IReadOnlyList<ProgressRecord> Progress { get; } = [.. streams.Progress];
}

using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Runner;

namespace PartnerCenterUsage.Tests.Support;

public static class HostedPowerShellExtensions
{
    /// <summary>
    /// Makes <paramref name="connection"/> the runspace's connection, as Connect-PCPartner does at its end. The one seam
    /// of the tests into the module: it lets a scenario connect on a <see cref="TestClock"/>. In this test process the
    /// module's engine is the one the tests reference (it is on the load path), so the connection is of its type.
    /// </summary>
    public static void UseConnection(this HostedPowerShell shell, PartnerConnection connection)
    {
        var result = shell.Invoke(
            "[PartnerCenterUsage.ErrorIds].Assembly.GetType('PartnerCenterUsage.SessionConnections', $true).GetMethod('Set', [Reflection.BindingFlags]'Public, NonPublic, Static').Invoke($null, @($args[0])) | Out-Null",
            connection);
        Assert.Empty(result.Errors);
    }

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

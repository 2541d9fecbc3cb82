using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;

namespace PartnerCenterUsage;

/// <summary>
/// Keeps a Secure Application Model connection's newest refresh token for the next run: writes it to the
/// SecretManagement vault the user named (Set-Secret) and hands it to the user's script block. The engine announces a
/// new token on whatever thread renewed; this class only posts the write to the pipeline thread of the command that is
/// running (<see cref="PipelineMessages.Post"/>), so no PowerShell command or script block ever runs on another thread.
/// Only the newest token is written: renewals that come faster than the pipeline drains are written once.
/// </summary>
/// <remarks>
/// The age of a kept token is known from what the module itself stored with it: the vault's secret metadata
/// (<see cref="IssuedOnMetadataName"/>, written with Set-SecretInfo where the vault supports metadata) or the date the
/// script block was given and passes back with -RefreshTokenIssuedOn. A token of unknown age is not warned about.
/// </remarks>
internal sealed class RefreshTokenWriteBack
{
    /// <summary>The metadata entry of the vault's secret that says when the module saw the token it holds.</summary>
    public const string IssuedOnMetadataName = "PartnerCenterUsageIssuedOn";

    private static readonly ConditionalWeakTable<PartnerConnection, RefreshTokenWriteBack> Registered = new();

    private readonly object _lock = new();
    private readonly RefreshTokenKeeper _keeper;
    private readonly string? _vault;
    private readonly string? _secretName;
    private readonly ScriptBlock? _onRenewed;
    private PipelineMessages? _attached;
    private int _written;

    private RefreshTokenWriteBack(RefreshTokenKeeper keeper, string? vault, string? secretName, ScriptBlock? onRenewed)
    {
        _keeper = keeper;
        _vault = vault;
        _secretName = secretName;
        _onRenewed = onRenewed;
    }

    /// <summary>The write-back of <paramref name="connection"/>, or null when nothing keeps its refresh token.</summary>
    public static RefreshTokenWriteBack? Of(PartnerConnection connection) => Registered.TryGetValue(connection, out var writeBack) ? writeBack : null;

    /// <summary>
    /// On the pipeline thread of Connect-PCPartner: starts keeping the refresh tokens of <paramref name="connection"/>
    /// and writes the one the exchange just returned.
    /// </summary>
    public static void Start(PSCmdlet cmdlet, PartnerConnection connection, string? vault, string? secretName, ScriptBlock? onRenewed)
    {
        if (connection.KeptRefreshToken is not { } keeper)
        {
            return;
        }

        if (vault is null && onRenewed is null)
        {
            cmdlet.WriteVerbose(
                $"The renewed refresh token is not kept for the next run (no -RefreshTokenVault or -OnRefreshTokenRenewed): the token this run was given dies {RefreshTokenAdvice.LifetimeDays} days after it was issued.");
            return;
        }

        var writeBack = new RefreshTokenWriteBack(keeper, vault, secretName, onRenewed);
        Registered.Remove(connection);
        Registered.Add(connection, writeBack);
        keeper.Renewed += writeBack.OnRenewed;
        writeBack.Flush(cmdlet);
    }

    /// <summary>
    /// Makes <paramref name="messages"/> (the running command's) the pipeline that later renewals are written on, and
    /// posts a write the last command left undone.
    /// </summary>
    public void Attach(PipelineMessages messages)
    {
        lock (_lock)
        {
            _attached = messages;
            if (_keeper.Version > _written)
            {
                messages.Post(WriteOnPipeline);
            }
        }
    }

    /// <summary>On the pipeline thread: writes the newest token unless it was written already. A failure is a warning.</summary>
    public void Flush(PSCmdlet cmdlet)
    {
        SecureString? token;
        DateTimeOffset issuedOn;
        lock (_lock)
        {
            var version = _keeper.Version;
            if (version <= _written || _keeper.IssuedOn is not { } seen)
            {
                return;
            }

            // Marked written before the attempt: a vault that fails is warned about once per token, not at every drain.
            _written = version;
            token = _keeper.Copy();
            issuedOn = seen;
        }

        if (token is null)
        {
            return;
        }

        if (_vault is not null)
        {
            WriteToVault(cmdlet, token, issuedOn);
        }

        if (_onRenewed is not null)
        {
            try
            {
                _onRenewed.Invoke(token, issuedOn);
                cmdlet.WriteVerbose("The renewed refresh token was handed to the -OnRefreshTokenRenewed script block.");
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                cmdlet.WriteWarning(
                    $"The -OnRefreshTokenRenewed script block failed, so it may not have kept the renewed refresh token: {Reason(ex)} " +
                    $"The next run would then use an older token, which dies {RefreshTokenAdvice.LifetimeDays} days after it was issued. The report itself goes on.");
            }
        }
    }

    /// <summary>On the pipeline thread of Connect-PCPartner: the refresh token kept in the vault, or a terminating error.</summary>
    public static SecureString ReadFromVault(PSCmdlet cmdlet, string vault, string secretName)
    {
        object? value;
        try
        {
            var result = Invoke(cmdlet, "param($Name, $Vault) Get-Secret -Name $Name -Vault $Vault -ErrorAction Stop", secretName, vault);
            value = result.Count == 0 ? null : result[result.Count - 1]?.BaseObject;
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.RefreshTokenVaultReadFailed(vault, secretName, Reason(ex)));
            throw;
        }

        switch (value)
        {
            case SecureString secure when secure.Length > 0:
                return secure;
            case string text when text.Trim().Length > 0:
                return new NetworkCredential(string.Empty, text.Trim()).SecurePassword;
            default:
                cmdlet.ThrowTerminatingError(ErrorRecords.RefreshTokenVaultReadFailed(vault, secretName,
                    value is null ? "Get-Secret returned nothing." : $"the secret is a {value.GetType().Name}, not a SecureString or a string."));
                throw new InvalidOperationException();
        }
    }

    /// <summary>When the module saw the token the vault holds, from the secret's metadata; null when the vault keeps none.</summary>
    public static DateTimeOffset? IssuedOnInVault(PSCmdlet cmdlet, string vault, string secretName)
    {
        try
        {
            var result = Invoke(cmdlet,
                "param($Name, $Vault, $Key) $info = @(Get-SecretInfo -Name $Name -Vault $Vault -ErrorAction Stop)[0]; if ($null -ne $info -and $null -ne $info.Metadata) { $info.Metadata[$Key] }",
                secretName, vault, IssuedOnMetadataName);
            return result.Count == 0 ? null : ToDate(result[0]?.BaseObject);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            cmdlet.WriteVerbose($"The age of the kept refresh token is unknown: Get-SecretInfo failed: {Reason(ex)}");
            return null;
        }
    }

    /// <summary>Warns when the refresh token given to this run was kept more than 60 days ago: it dies within a month.</summary>
    public static void WarnIfOld(PSCmdlet cmdlet, DateTimeOffset? issuedOn, DateTimeOffset now, bool keeping)
    {
        if (issuedOn is not { } kept || now - kept <= TimeSpan.FromDays(RefreshTokenAdvice.WarnAfterDays))
        {
            return;
        }

        var age = (int)Math.Floor((now - kept).TotalDays);
        cmdlet.WriteWarning(string.Format(CultureInfo.CurrentCulture,
            "The refresh token this run was given was kept {0} days ago ({1:d}); refresh tokens die {2} days after they were issued. {3}",
            age, kept.ToLocalTime(), RefreshTokenAdvice.LifetimeDays,
            keeping
                ? "This run keeps the renewed one: check that the write-back works and that the job runs at least monthly."
                : "Nothing keeps the renewed one: add -RefreshTokenVault and -RefreshTokenSecretName, or -OnRefreshTokenRenewed, or the job stops with RefreshTokenExpired."));
    }

    private void OnRenewed(object? sender, RefreshTokenRenewedEventArgs e)
    {
        PipelineMessages? target;
        lock (_lock)
        {
            target = _attached;
        }

        // With no command running, the next one to attach writes it.
        target?.Post(WriteOnPipeline);
    }

    private void WriteOnPipeline(Cmdlet cmdlet) => Flush((PSCmdlet)cmdlet);

    private void WriteToVault(PSCmdlet cmdlet, SecureString token, DateTimeOffset issuedOn)
    {
        try
        {
            Invoke(cmdlet, "param($Name, $Vault, $Secret) Set-Secret -Name $Name -Vault $Vault -Secret $Secret -ErrorAction Stop", _secretName, _vault, token);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            cmdlet.WriteWarning(
                $"Could not keep the renewed refresh token in the vault '{_vault}' (secret '{_secretName}'): {Reason(ex)} " +
                $"The next run will read the older token, which dies {RefreshTokenAdvice.LifetimeDays} days after it was issued: fix the vault before then, " +
                "or the job stops with RefreshTokenExpired. The report itself goes on.");
            return;
        }

        try
        {
            Invoke(cmdlet, "param($Name, $Vault, $Metadata) Set-SecretInfo -Name $Name -Vault $Vault -Metadata $Metadata -ErrorAction Stop",
                _secretName, _vault, new Hashtable { [IssuedOnMetadataName] = issuedOn.ToString("o", CultureInfo.InvariantCulture) });
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            cmdlet.WriteVerbose($"The vault '{_vault}' keeps no metadata ({Reason(ex)}): the age of the kept refresh token cannot be checked.");
        }

        cmdlet.WriteVerbose($"The renewed refresh token was kept in the vault '{_vault}' as '{_secretName}'.");
    }

    private static System.Collections.ObjectModel.Collection<PSObject> Invoke(PSCmdlet cmdlet, string script, params object?[] arguments) =>
        cmdlet.InvokeCommand.InvokeScript(useLocalScope: true, ScriptBlock.Create(script), input: null, arguments);

    private static DateTimeOffset? ToDate(object? value) => value switch
    {
        DateTimeOffset date => date,
        DateTime date => new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) => date,
        _ => null,
    };

    private static string Reason(Exception exception)
    {
        var inner = exception is RuntimeException { ErrorRecord.Exception: { } recorded } ? recorded : exception;
        var text = (inner.Message ?? inner.GetType().Name).Split('\n').First().Trim();
        return text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";
    }
}

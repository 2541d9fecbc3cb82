using System;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Connects this PowerShell session to Partner Center.</summary>
[Cmdlet(VerbsCommunications.Connect, "PCPartner", DefaultParameterSetName = AccessTokenParameterSet)]
[OutputType(typeof(PartnerContext))]
public sealed class ConnectPCPartnerCommand : PartnerCenterCmdlet
{
    private const string AccessTokenParameterSet = "AccessToken";

    /// <summary>An App+User access token for Partner Center, as a SecureString or a plain string.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenParameterSet)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString AccessToken { get; set; } = null!;

    /// <summary>The Partner Center cloud; it chooses the API endpoint unless -Endpoint is given.</summary>
    [Parameter]
    public PartnerCenterEnvironment Environment { get; set; } = PartnerCenterEnvironment.Global;

    /// <summary>A custom API base URL (https, or http to a loopback host such as a local simulator).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        PartnerConnection connection;
        try
        {
            connection = PartnerConnection.FromAccessToken(new NetworkCredential(string.Empty, AccessToken).Password, Environment, Endpoint);
        }
        catch (PartnerCenterException ex)
        {
            ThrowTerminatingError(ErrorRecords.FromEngine(ex, Endpoint, "Connecting to Partner Center"));
            return;
        }

        WarnAboutToken(connection);
        SessionConnections.Set(connection);
        WriteVerbose($"Connected to {connection.Context.ApiEndpoint} ({connection.Context.Environment}) with an access token.");
        WriteObject(connection.Context);
    }

    private void WarnAboutToken(PartnerConnection connection)
    {
        var claims = connection.Claims;
        if (claims is null)
        {
            return;
        }

        if (claims.ExpiresOn is { } expiresOn && expiresOn <= DateTimeOffset.UtcNow)
        {
            WriteWarning(string.Format(CultureInfo.CurrentCulture,
                "The access token expired at {0:u}. Partner Center will refuse it: get a new token and run Connect-PCPartner again.", expiresOn));
        }

        if (claims.IsAppOnly)
        {
            WriteWarning("The access token was issued to an application without a user (App-only). " +
                "Partner Center's license analytics accept App+User tokens only: sign in as a user through an application.");
        }
        else if (claims.HasMfa == false)
        {
            WriteWarning("The access token does not show multi-factor authentication (no 'mfa' in its amr claim). " +
                "Partner Center refuses App+User calls without MFA (error 900421): sign in again with MFA.");
        }
    }
}

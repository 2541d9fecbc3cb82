using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Connects this PowerShell session (runspace) to Partner Center, signing in through MSAL or with a given access token.</summary>
[Cmdlet(VerbsCommunications.Connect, "PCPartner", DefaultParameterSetName = InteractiveSet)]
[OutputType(typeof(PartnerContext))]
public sealed class ConnectPCPartnerCommand : PartnerCenterCmdlet
{
    private const string InteractiveSet = "Interactive";
    private const string DeviceCodeSet = "DeviceCode";
    private const string SecretSet = "SecureApplicationModelSecret";
    private const string ThumbprintSet = "SecureApplicationModelThumbprint";
    private const string CertificateSet = "SecureApplicationModelCertificate";
    private const string AccessTokenSet = "AccessToken";

    /// <summary>Sign in with a device code, entered on another device (SSH sessions, containers).</summary>
    [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet)]
    [Alias("DeviceCode")]
    public SwitchParameter UseDeviceAuthentication { get; set; }

    /// <summary>The application (client) id: the partner's app for the Secure Application Model; for user sign-in, a public client that replaces the default one.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [ValidateNotNullOrEmpty]
    [Alias("ClientId", "AppId")]
    public string? ApplicationId { get; set; }

    /// <summary>The tenant to sign in to: the partner's tenant id or domain; organizations by default.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNullOrEmpty]
    [Alias("Tenant")]
    public string TenantId { get; set; } = PartnerCenterEndpoints.DefaultTenant;

    /// <summary>Secure Application Model: the user's refresh token, obtained once with an MFA sign-in. Read from -RefreshTokenVault when not given.</summary>
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString RefreshToken { get; set; } = null!;

    /// <summary>Secure Application Model: the application id as user name and the application secret as password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential Credential { get; set; } = null!;

    /// <summary>Secure Application Model: the thumbprint of the application's certificate in the CurrentUser\My (or LocalMachine\My) store.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [ValidateNotNullOrEmpty]
    public string CertificateThumbprint { get; set; } = null!;

    /// <summary>Secure Application Model: the application's certificate, with its private key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [ValidateNotNull]
    public X509Certificate2 Certificate { get; set; } = null!;

    /// <summary>An App+User access token for Partner Center, as a SecureString or a plain string. It is not renewed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString AccessToken { get; set; } = null!;

    // PowerShell loads the exported types of the module before its initializer runs, and an engine enum stored in a
    // field would make that load the engine (a value type is part of the class layout) before the engine can be
    // resolved. Stored as its number, it is resolved only when the cmdlet runs.
    private int _environment = (int)default(PartnerCenterEnvironment);

    /// <summary>The Partner Center cloud: it chooses the API endpoint, sign-in authority and scope together.</summary>
    [Parameter]
    public PartnerCenterEnvironment Environment
    {
        get => (PartnerCenterEnvironment)_environment;
        set => _environment = (int)value;
    }

    /// <summary>A custom API base URL (https, or http to a loopback host such as a local simulator).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    /// <summary>A custom sign-in authority host (https), for private or test environments; the tenant is appended.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNull]
    public Uri? Authority { get; set; }

    /// <summary>For a local test identity provider on a loopback -Authority: the one certificate (self-signed) to trust for it.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNull]
    public X509Certificate2? AuthorityCertificate { get; set; }

    /// <summary>Retries of one request after a service error (408, 5xx) or no answer, at most (0 to 10). Throttling is waited out whatever this is (see -MaxThrottleWait).</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetryCount { get; set; } = new PartnerCenterClientOptions().MaxRetryAttempts;

    /// <summary>The first backoff delay between retries; it doubles with each retry, with jitter. A 429 waits its Retry-After instead.</summary>
    [Parameter]
    public TimeSpan RetryDelay { get; set; } = new PartnerCenterClientOptions().RetryBaseDelay;

    /// <summary>How long one attempt of a request may take before it counts as timed out and is retried (1 s to 10 min).</summary>
    [Parameter]
    public TimeSpan RequestTimeout { get; set; } = new PartnerCenterClientOptions().RequestTimeout;

    /// <summary>How long one request may take in all, retries included, waits for throttling not (1 s to 1 hour).</summary>
    [Parameter]
    public TimeSpan MaxRequestDuration { get; set; } = new PartnerCenterClientOptions().MaxRequestDuration;

    /// <summary>How long one command may spend waiting out Partner Center's throttling in all (0 to 24 hours); a 429 asking for a wait longer than is left is an error at once.</summary>
    [Parameter]
    public TimeSpan MaxThrottleWait { get; set; } = new PartnerCenterClientOptions().MaxThrottleWait;

    /// <summary>The largest answer read, in bytes (1 MB to 1 GB; 64MB is the default); a larger one is the error InvalidResponse.</summary>
    [Parameter]
    [ValidateRange(1L << 20, 1L << 30)]
    public long MaxResponseSize { get; set; } = new PartnerCenterClientOptions().MaxResponseBytes;

    /// <summary>
    /// Secure Application Model: the SecretManagement vault that keeps the refresh token. Read with Get-Secret when
    /// -RefreshToken is not given; the renewed token is written back with Set-Secret at Connect and at every renewal.
    /// </summary>
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNullOrEmpty]
    public string? RefreshTokenVault { get; set; }

    /// <summary>Secure Application Model: the name of the refresh token's secret in -RefreshTokenVault.</summary>
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNullOrEmpty]
    public string? RefreshTokenSecretName { get; set; }

    /// <summary>
    /// Secure Application Model: a script block given each renewed refresh token, param($token, $issuedOn): a SecureString
    /// and when the module saw it. It runs on the pipeline thread at Connect and whenever a later command renews.
    /// </summary>
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNull]
    public ScriptBlock? OnRefreshTokenRenewed { get; set; }

    /// <summary>
    /// Secure Application Model: when the -RefreshToken given was kept (the $issuedOn an -OnRefreshTokenRenewed script
    /// block stored with it): a token kept more than 60 days ago is warned about.
    /// </summary>
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    public DateTimeOffset RefreshTokenIssuedOn { get; set; }

    /// <summary>
    /// Process (the default): the sign-in lasts as long as this session. CurrentUser: it is saved for later sessions in
    /// the OS's encrypted store, which later sessions sign in from silently; once saved, CurrentUser is the default of
    /// the browser and device-code sign-ins. The Secure Application Model saves only when CurrentUser is given: its
    /// refresh token is then kept, renewed, by the encrypted cache, and a later run with CurrentUser needs no -RefreshToken.
    /// </summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateSet(TokenCacheChoice.Process, TokenCacheChoice.CurrentUser)]
    public string? ContextScope { get; set; }

    /// <summary>With -ContextScope CurrentUser where the OS has no encrypted store: save the sign-in in a plaintext file readable by you only. Warns at every connect.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    public SwitchParameter AllowUnencryptedTokenCache { get; set; }

    /// <summary>Of several saved sign-ins, the account (UPN) to sign in silently as.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNullOrEmpty]
    public string? Account { get; set; }

    /// <summary>Sign in afresh (browser or device code) even when a saved sign-in could be used silently; the new sign-in is saved.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    public SwitchParameter ForceSignIn { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        CheckRange(nameof(RetryDelay), RetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        CheckRange(nameof(RequestTimeout), RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        CheckRange(nameof(MaxRequestDuration), MaxRequestDuration, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckRange(nameof(MaxThrottleWait), MaxThrottleWait, TimeSpan.Zero, TimeSpan.FromHours(24));

        var secureApplicationModel = ParameterSetName is SecretSet or ThumbprintSet or CertificateSet;
        DateTimeOffset? keptOn = null;
        if (secureApplicationModel)
        {
            keptOn = ResolveRefreshToken();
        }

        PartnerConnection connection;
        try
        {
            connection = ParameterSetName switch
            {
                AccessTokenSet => PartnerConnection.FromAccessToken(AccessToken, Environment, Endpoint, ClientOptions()),
                DeviceCodeSet => Await(PartnerSignIn.DeviceCodeAsync(SignInOptions(ApplicationId), CancellationToken)),
                SecretSet => Await(PartnerSignIn.SecureApplicationModelAsync(
                    SignInOptions(ApplicationIdOfCredential()), RefreshToken, Credential.Password, certificate: null, CancellationToken)),
                ThumbprintSet => Await(PartnerSignIn.SecureApplicationModelAsync(
                    SignInOptions(ApplicationId), RefreshToken, clientSecret: null, CertificateStore.FindByThumbprint(CertificateThumbprint), CancellationToken)),
                CertificateSet => Await(PartnerSignIn.SecureApplicationModelAsync(
                    SignInOptions(ApplicationId), RefreshToken, clientSecret: null, Certificate, CancellationToken)),
                _ => Await(PartnerSignIn.InteractiveAsync(SignInOptions(ApplicationId), browser: null, CancellationToken)),
            };
        }
        catch (PartnerCenterException ex)
        {
            ThrowTerminatingError(ErrorRecords.FromEngine(ex, (object?)Authority ?? Endpoint, "Connecting to Partner Center"));
            return;
        }
        catch (OperationCanceledException) when (Stopping)
        {
            return;
        }

        WarnAboutToken(connection);
        TokenCacheChoice.Report(this, connection);
        SignOut(SessionConnections.Set(connection));
        if (secureApplicationModel)
        {
            RefreshTokenWriteBack.WarnIfOld(this, keptOn, connection.UtcNow, keeping: RefreshTokenVault is not null || OnRefreshTokenRenewed is not null);
            RefreshTokenWriteBack.Start(this, connection, RefreshTokenVault, RefreshTokenSecretName, OnRefreshTokenRenewed);
        }

        var context = connection.Context;
        WriteVerbose($"Connected to {context.ApiEndpoint} ({context.Environment}) by {context.SignInKind}.");
        WriteObject(context);
    }

    /// <summary>
    /// Checks the refresh token parameters and reads the token from the vault when it was not given; returns when the
    /// token was kept, if that is known.
    /// </summary>
    private DateTimeOffset? ResolveRefreshToken()
    {
        if ((RefreshTokenVault is null) != (RefreshTokenSecretName is null))
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters("-RefreshTokenVault and -RefreshTokenSecretName go together: the vault and the name of the refresh token's secret in it.", RefreshTokenVault ?? RefreshTokenSecretName));
        }

        if (RefreshToken is null && RefreshTokenVault is null && !SavesSecureApplicationModel)
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters("The Secure Application Model needs the refresh token: give -RefreshToken, or -RefreshTokenVault and -RefreshTokenSecretName to read it from a SecretManagement vault, or -ContextScope CurrentUser to use the one a saved sign-in keeps.", null));
        }

        DateTimeOffset? issuedOn = MyInvocation.BoundParameters.ContainsKey(nameof(RefreshTokenIssuedOn)) ? RefreshTokenIssuedOn : null;
        if (RefreshTokenVault is null)
        {
            return issuedOn;
        }

        var fromVault = RefreshToken is null;
        if (fromVault)
        {
            RefreshToken = RefreshTokenWriteBack.ReadFromVault(this, RefreshTokenVault, RefreshTokenSecretName!);
        }

        return issuedOn ?? (fromVault ? RefreshTokenWriteBack.IssuedOnInVault(this, RefreshTokenVault, RefreshTokenSecretName!) : null);
    }

    // An unattended job saves its sign-in only when told to: a saved browser sign-in must not make it do so.
    private bool SavesSecureApplicationModel =>
        ParameterSetName is SecretSet or ThumbprintSet or CertificateSet && ContextScope == TokenCacheChoice.CurrentUser;

    private PartnerSignInOptions SignInOptions(string? applicationId) => new()
    {
        Environment = Environment,
        ApiEndpoint = Endpoint,
        AuthorityHost = Authority,
        TenantId = TenantId,
        ApplicationId = applicationId,
        TrustedAuthorityCertificate = AuthorityCertificate,
        ClientOptions = ClientOptions(),
        Log = Messages,
        TokenCache = ParameterSetName is InteractiveSet or DeviceCodeSet || SavesSecureApplicationModel ? TokenCacheChoice.Open(this, ContextScope, AllowUnencryptedTokenCache) : null,
        PreferredAccount = Account,
        ForceSignIn = ForceSignIn,
    };

    private PartnerCenterClientOptions ClientOptions() => new()
    {
        MaxRetryAttempts = MaxRetryCount,
        RetryBaseDelay = RetryDelay,
        RequestTimeout = RequestTimeout,
        MaxRequestDuration = MaxRequestDuration,
        MaxThrottleWait = MaxThrottleWait,
        MaxResponseBytes = MaxResponseSize,
    };

    private void CheckRange(string parameter, TimeSpan value, TimeSpan minimum, TimeSpan maximum)
    {
        if (value < minimum || value > maximum)
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters(
                string.Format(CultureInfo.InvariantCulture, "-{0} must be between {1} and {2}.", parameter, minimum, maximum), value));
        }
    }

    private string ApplicationIdOfCredential()
    {
        var fromCredential = Credential.UserName?.Trim();
        if (!string.IsNullOrEmpty(ApplicationId) && !string.IsNullOrEmpty(fromCredential)
            && !string.Equals(ApplicationId, fromCredential, StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters(
                "-ApplicationId and the user name of -Credential name different applications. The credential's user name is the application id.", ApplicationId));
        }

        return string.IsNullOrEmpty(ApplicationId) ? fromCredential! : ApplicationId!;
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
                "Partner Center refuses App+User calls without MFA (error 900421): sign in again and complete MFA, " +
                "or require MFA for the account with Conditional Access.");
        }
    }
}

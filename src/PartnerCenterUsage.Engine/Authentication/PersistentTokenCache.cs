using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.Extensions.Msal;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// The module's MSAL token cache saved for later sessions: encrypted by the OS (DPAPI on Windows, the Keychain on
/// macOS, the Secret Service over D-Bus on Linux) in a folder of the module's own under the user's local application
/// data, or, only when the caller asks for it, a plaintext file readable by its owner alone. Beside it a JSON record
/// of the saved sign-ins (account, tenant, environment, client id, kind, when) that holds no secret.
/// </summary>
/// <remarks>
/// MSAL's cache helper ignores its own read and write failures, so the store is verified before it is used, within a
/// bound: a locked Linux keyring can wait for a password prompt that never comes. One helper per process and cache
/// file, as MSAL asks. The Linux keyring item and the macOS Keychain entry carry names of this module's own, never
/// the pair Azure.Identity, Azure CLI and Microsoft Graph share, so that neither side can read or overwrite the other.
/// </remarks>
public sealed class PersistentTokenCache
{
    /// <summary>The module's folder under the user's local application data.</summary>
    public const string FolderName = "PartnerCenterUsage";

    /// <summary>The encrypted cache file (on Linux and macOS, the data is in the keyring; the file marks changes).</summary>
    public const string CacheFileName = "msal.cache";

    /// <summary>The plaintext cache file, only with -AllowUnencryptedTokenCache.</summary>
    public const string PlaintextCacheFileName = "msal.plaintext.cache";

    /// <summary>The record of saved sign-ins.</summary>
    public const string RecordFileName = "saved-sign-ins.json";

    /// <summary>The lock that processes checking the store at once take turns with (deleted when released).</summary>
    private const string VerifyLockFileName = "verify.lockfile";

    /// <summary>The Secret Service schema of the Linux keyring item.</summary>
    public const string LinuxSchemaName = "org.partnercenterusage.tokencache";

    /// <summary>The label of the Linux keyring item, as seahorse and secret-tool show it.</summary>
    public const string LinuxSecretLabel = "PartnerCenterUsage token cache";

    /// <summary>The first attribute of the Linux keyring item (secret-tool search PartnerCenterUsage TokenCache).</summary>
    public static readonly KeyValuePair<string, string> LinuxAttribute1 = new("PartnerCenterUsage", "TokenCache");

    /// <summary>The second attribute of the Linux keyring item.</summary>
    public static readonly KeyValuePair<string, string> LinuxAttribute2 = new("PartnerCenterUsageCacheVersion", "1");

    /// <summary>The macOS Keychain service of the cache.</summary>
    public const string MacKeychainService = "PartnerCenterUsage.TokenCache";

    /// <summary>The macOS Keychain account of the cache.</summary>
    public const string MacKeychainAccount = "PartnerCenterUsage";

    /// <summary>How long the OS's store may take to answer before it counts as unavailable.</summary>
    public static readonly TimeSpan DefaultVerifyTimeout = TimeSpan.FromSeconds(15);

    private static readonly ConcurrentDictionary<string, PersistentTokenCache> Opened = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim Opening = new(1, 1);
    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = true };
    private readonly MsalCacheHelper _helper;
    private readonly object _recordLock = new();

    private PersistentTokenCache(MsalCacheHelper helper, string directory, string cacheFile, TokenCacheProtection protection)
    {
        _helper = helper;
        Directory = directory;
        CacheFile = cacheFile;
        Protection = protection;
    }

    /// <summary>The user's folder of the module: LocalApplicationData/PartnerCenterUsage.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), FolderName);

    /// <summary>How the cache is protected: <see cref="TokenCacheProtection.Encrypted"/> or <see cref="TokenCacheProtection.Plaintext"/>.</summary>
    public TokenCacheProtection Protection { get; }

    /// <summary>The folder of the cache and its record.</summary>
    public string Directory { get; }

    /// <summary>The cache file.</summary>
    public string CacheFile { get; }

    /// <summary>The record of saved sign-ins.</summary>
    public string RecordFile => Path.Combine(Directory, RecordFileName);

    /// <summary>True when a sign-in was saved in <paramref name="directory"/> (the default folder when null): the user opted in before.</summary>
    public static bool HasSavedSignIn(string? directory = null) => File.Exists(Path.Combine(directory ?? DefaultDirectory, RecordFileName));

    /// <summary>Opens the cache of the user's folder within <see cref="DefaultVerifyTimeout"/> (see the overload with a clock).</summary>
    /// <exception cref="PartnerCenterTokenCacheException">The store is unavailable, failed its check or did not answer in time.</exception>
    public static Task<PersistentTokenCache> OpenAsync(bool plaintext, CancellationToken cancellationToken) =>
        OpenAsync(null, plaintext, DefaultVerifyTimeout, TimeProvider.System, cancellationToken);

    /// <summary>Removes the saved sign-ins of the user's folder within <see cref="DefaultVerifyTimeout"/> (see the overload with a clock).</summary>
    /// <exception cref="PartnerCenterTokenCacheException">The keyring item could not be removed (the files are removed all the same).</exception>
    public static Task<bool> RemoveSavedSignInsAsync(CancellationToken cancellationToken) =>
        RemoveSavedSignInsAsync(null, DefaultVerifyTimeout, TimeProvider.System, cancellationToken);

    /// <summary>
    /// Opens the encrypted cache (or, with <paramref name="plaintext"/>, the owner-only plaintext file), verified
    /// within <paramref name="timeout"/> on <paramref name="clock"/>. A failure leaves no file behind.
    /// </summary>
    /// <exception cref="PartnerCenterTokenCacheException">The store is unavailable, failed its check or did not answer in time.</exception>
    public static async Task<PersistentTokenCache> OpenAsync(string? directory, bool plaintext, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        directory = Path.GetFullPath(directory ?? DefaultDirectory);
        var file = Path.Combine(directory, plaintext ? PlaintextCacheFileName : CacheFileName);
        if (Opened.TryGetValue(file, out var open))
        {
            return open;
        }

        await Opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Opened.TryGetValue(file, out open))
            {
                return open;
            }

            var before = new Leftovers(directory, file);
            try
            {
                var helper = await BoundedAsync(
                    async () =>
                    {
                        System.IO.Directory.CreateDirectory(directory);
                        UnixFilePermissions.Set(directory, UnixFilePermissions.OwnerOnly);
                        var created = await MsalCacheHelper.CreateAsync(Properties(directory, plaintext)).ConfigureAwait(false);

                        // The check writes and reads back a value of its own in the store: two processes checking at
                        // once (two scheduled jobs) would read each other's and fail, so they take turns.
                        using (new CrossPlatLock(Path.Combine(directory, VerifyLockFileName)))
                        {
                            created.VerifyPersistence();
                        }

                        return created;
                    },
                    timeout,
                    clock,
                    what: plaintext ? "the plaintext token cache" : EncryptedStoreName,
                    cancellationToken).ConfigureAwait(false);
                if (plaintext && File.Exists(file))
                {
                    UnixFilePermissions.Set(file, UnixFilePermissions.OwnerReadWrite);
                }

                open = new PersistentTokenCache(helper, directory, file, plaintext ? TokenCacheProtection.Plaintext : TokenCacheProtection.Encrypted);
                Opened[file] = open;
                return open;
            }
            catch (PartnerCenterTokenCacheException)
            {
                before.Remove();
                throw;
            }
        }
        finally
        {
            Opening.Release();
        }
    }

    /// <summary>
    /// Removes every saved sign-in of <paramref name="directory"/> (the default folder when null): the accounts and
    /// tokens (the keyring item or the encrypted file, and the plaintext file), and the record. Returns false when
    /// nothing was saved.
    /// </summary>
    /// <exception cref="PartnerCenterTokenCacheException">The keyring item could not be removed (the files are removed all the same).</exception>
    public static async Task<bool> RemoveSavedSignInsAsync(string? directory, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        directory = Path.GetFullPath(directory ?? DefaultDirectory);
        var encrypted = Path.Combine(directory, CacheFileName);
        var plaintext = Path.Combine(directory, PlaintextCacheFileName);
        var record = Path.Combine(directory, RecordFileName);
        var found = File.Exists(encrypted) || File.Exists(plaintext) || File.Exists(record);
        if (!found)
        {
            return false;
        }

        await Opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        PartnerCenterTokenCacheException? failure = null;
        try
        {
            Opened.TryRemove(encrypted, out _);
            Opened.TryRemove(plaintext, out _);
            // Only where an encrypted cache was saved is the keyring asked: a plaintext-only user may have none at all.
            var keptEncrypted = File.Exists(encrypted) || ReadRecord(record).Any(s => s.TokenCache == nameof(TokenCacheProtection.Encrypted));
            if (keptEncrypted)
            {
                try
                {
                    // The keyring item and the Keychain entry outlive the files: clear the store itself, within the bound.
                    await BoundedAsync(
                        () =>
                        {
                            Storage.Create(Properties(directory, plaintext: false)).Clear(ignoreExceptions: false);
                            return Task.FromResult(true);
                        },
                        timeout,
                        clock,
                        EncryptedStoreName,
                        cancellationToken).ConfigureAwait(false);
                }
                catch (PartnerCenterTokenCacheException ex)
                {
                    failure = ex;
                }
            }

            foreach (var path in new[] { encrypted, encrypted + ".lockfile", plaintext, plaintext + ".lockfile", record })
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }

            if (System.IO.Directory.Exists(directory) && !System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
            {
                System.IO.Directory.Delete(directory);
            }
        }
        finally
        {
            Opening.Release();
        }

        return failure is null ? true : throw failure;
    }

    /// <summary>The saved sign-ins, newest first; empty when there is no record or it cannot be read.</summary>
    public IReadOnlyList<SavedSignIn> ReadSavedSignIns()
    {
        lock (_recordLock)
        {
            return ReadRecord(RecordFile);
        }
    }

    internal void Register(ITokenCache tokenCache) => _helper.RegisterCache(tokenCache);

    /// <summary>The saved MSAL cache, decrypted (for a cache whose notifications are the caller's own).</summary>
    internal byte[] Load() => _helper.LoadUnencryptedTokenCache();

    /// <summary>Saves <paramref name="msalV3"/> as the MSAL cache, encrypted as the store does.</summary>
    internal void Store(byte[] msalV3) => _helper.SaveUnencryptedTokenCache(msalV3);

    /// <summary>Adds or refreshes <paramref name="signIn"/> in the record (owner-only on Unix).</summary>
    /// <exception cref="IOException">The record could not be written.</exception>
    internal void Save(SavedSignIn signIn)
    {
        lock (_recordLock)
        {
            var list = ReadRecord(RecordFile).Where(s => !s.Matches(signIn)).ToList();
            list.Insert(0, signIn);
            UnixFilePermissions.WriteOwnerOnly(RecordFile, JsonSerializer.Serialize(list, RecordJson));
        }
    }

    /// <summary>Runs <paramref name="work"/> on the thread pool and gives up on it after <paramref name="timeout"/> on <paramref name="clock"/>.</summary>
    /// <exception cref="PartnerCenterTokenCacheException">The work failed or did not end in time.</exception>
    internal static async Task<T> BoundedAsync<T>(Func<Task<T>> work, TimeSpan timeout, TimeProvider clock, string what, CancellationToken cancellationToken)
    {
        var task = Task.Run(work, CancellationToken.None);
        try
        {
            return await task.WaitAsync(timeout, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            // The hung call is left to end on its own: a libsecret call cannot be cancelled.
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw new PartnerCenterTokenCacheException(
                $"{Capitalized(what)} did not answer within {timeout.TotalSeconds:0} s (a locked keyring waits for a password that no one is asked for).", timedOut: true, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not PartnerCenterTokenCacheException)
        {
            throw new PartnerCenterTokenCacheException($"{Capitalized(what)} cannot be used: {Reason(ex)}", timedOut: false, ex);
        }
    }

    private static string EncryptedStoreName =>
        UnixFilePermissions.IsUnix
            ? System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX)
                ? "the macOS Keychain"
                : "the Linux Secret Service (libsecret over D-Bus: a keyring such as gnome-keyring)"
            : "Windows DPAPI";

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);

    private static string Reason(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null && (inner is TypeInitializationException || inner is AggregateException))
        {
            inner = inner.InnerException;
        }

        var why = inner switch
        {
            DllNotFoundException => "libsecret is not installed (Debian: apt-get install libsecret-1-0).",
            // libsecret reports a locked collection (a prompt no one can answer) without a reason MSAL passes on.
            MsalCachePersistenceException when inner.Message.IndexOf("libsecret", StringComparison.OrdinalIgnoreCase) >= 0 =>
                "the keyring refused to save (it is locked, or has no default collection to save in).",
            _ => MsalTokenProvider.FirstLine(inner.Message),
        };
        return $"{why} ({inner.GetType().Name})";
    }

    private static StorageCreationProperties Properties(string directory, bool plaintext)
    {
        var builder = new StorageCreationPropertiesBuilder(plaintext ? PlaintextCacheFileName : CacheFileName, directory);
        builder = plaintext
            ? builder.WithUnprotectedFile()
            : builder
                .WithLinuxKeyring(LinuxSchemaName, MsalCacheHelper.LinuxKeyRingDefaultCollection, LinuxSecretLabel, LinuxAttribute1, LinuxAttribute2)
                .WithMacKeyChain(MacKeychainService, MacKeychainAccount);
        return builder.Build();
    }

    private static List<SavedSignIn> ReadRecord(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<SavedSignIn>>(File.ReadAllText(path)) ?? [] : [];
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>What an open that fails must take back: the files and folder it created.</summary>
    private sealed class Leftovers
    {
        private readonly string _directory;
        private readonly bool _directoryExisted;
        private readonly string[] _newFiles;

        public Leftovers(string directory, string file)
        {
            _directory = directory;
            _directoryExisted = System.IO.Directory.Exists(directory);
            _newFiles = new[] { file, file + ".lockfile", Path.Combine(directory, VerifyLockFileName) }.Where(f => !File.Exists(f)).ToArray();
        }

        public void Remove()
        {
            try
            {
                foreach (var file in _newFiles.Where(File.Exists))
                {
                    File.Delete(file);
                }

                if (!_directoryExisted && System.IO.Directory.Exists(_directory) && !System.IO.Directory.EnumerateFileSystemEntries(_directory).Any())
                {
                    System.IO.Directory.Delete(_directory);
                }
            }
            catch (IOException)
            {
                // A hung store may still hold its lock file; what it leaves is empty of tokens.
            }
        }
    }
}

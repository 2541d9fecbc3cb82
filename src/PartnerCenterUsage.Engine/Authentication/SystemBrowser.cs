using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// Interactive sign-in in the user's own browser: opens the authorization page and catches the redirect on a
/// loopback port (http://localhost:port/), as the identity platform allows for public clients.
/// </summary>
public sealed class SystemBrowser : IAuthorizationCodeBrowser
{
    private readonly Func<Uri, bool> _open;
    private readonly int _port;

    /// <summary>Creates the browser hop; <paramref name="open"/> replaces the OS launch (for tests).</summary>
    public SystemBrowser(Func<Uri, bool>? open = null)
    {
        _open = open ?? OpenWithOperatingSystem;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        RedirectUri = new Uri($"http://localhost:{_port}/");
    }

    /// <inheritdoc/>
    public Uri RedirectUri { get; }

    /// <inheritdoc/>
    public async Task<Uri> AcquireAuthorizationCodeAsync(Uri authorizationUri, Uri redirectUri, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, _port);
        listener.Start();
        try
        {
            if (!_open(authorizationUri))
            {
                throw new PartnerCenterSignInException("No browser could be opened for the sign-in.", duringRenewal: false)
                {
                    BrowserUnavailable = true,
                };
            }

            using (cancellationToken.Register(listener.Stop))
            {
                while (true)
                {
                    TcpClient client;
                    try
                    {
                        client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is ObjectDisposedException or SocketException or InvalidOperationException)
                    {
                        throw new OperationCanceledException(cancellationToken);
                    }

                    using (client)
                    using (var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    using (read.Token.Register(client.Close))
                    {
                        // Browsers open speculative connections that send nothing: give each a few seconds, then
                        // close it (which also ends the read on .NET Framework, whose ReadAsync ignores the token).
                        read.CancelAfter(TimeSpan.FromSeconds(3));
                        string? target;
                        try
                        {
                            target = await ReadRequestTargetAsync(client.GetStream(), read.Token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException or ObjectDisposedException)
                        {
                            continue;
                        }

                        if (target is null || !target.Contains("?", StringComparison.Ordinal))
                        {
                            // A favicon or a pre-connect: not the redirect.
                            await RespondAsync(client.GetStream(), "404 Not Found", string.Empty, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        await RespondAsync(client.GetStream(), "200 OK",
                            "<html><body><p>Partner Center sign-in is complete. You can close this window and return to PowerShell.</p></body></html>",
                            cancellationToken).ConfigureAwait(false);
                        return new Uri(redirectUri, target);
                    }
                }
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<string?> ReadRequestTargetAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer, read, buffer.Length - read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
            if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        // "GET /?code=...&state=... HTTP/1.1"
        var line = Encoding.ASCII.GetString(buffer, 0, read).Split(new[] { "\r\n" }, StringSplitOptions.None)[0];
        var parts = line.Split(' ');
        return parts.Length >= 2 && parts[0] == "GET" ? parts[1] : null;
    }

    private static async Task RespondAsync(Stream stream, string status, string html, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(html);
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, 0, head.Length, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, 0, body.Length, cancellationToken).ConfigureAwait(false);
    }

    private static bool OpenWithOperatingSystem(Uri uri)
    {
        try
        {
            var url = uri.AbsoluteUri;
            ProcessStartInfo start = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? new ProcessStartInfo(url) { UseShellExecute = true }
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                    ? new ProcessStartInfo("open", url)
                    : new ProcessStartInfo("xdg-open", url);
            using var process = Process.Start(start);
            return process is not null || RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or FileNotFoundException)
        {
            return false;
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket and JSON; no driver to install):
/// one page, with everything the page did recorded: console messages, uncaught exceptions, the browser's own log
/// (a Content-Security-Policy refusal is an error there), every request it made, and any dialog it opened.
/// The browser is Debian's chromium (or chromium-headless-shell), installed by <see cref="Chromium"/> where missing.
/// </summary>
public sealed class HeadlessBrowser : IAsyncDisposable
{
    /// <summary>A bound on each step, never a wait: a step returns as soon as the browser answers.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _calls = new();
    private readonly ConcurrentQueue<(string Method, JsonObject Params)> _events = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly SemaphoreSlim _loads = new(0);
    private string _session = string.Empty;
    private int _nextId;

    private HeadlessBrowser(Process process, DirectoryInfo profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Console messages of type error or assert, uncaught exceptions and browser log errors, as text.</summary>
    public IReadOnlyList<string> Errors => _events.Select(ErrorText).OfType<string>().ToList();

    /// <summary>The URL of every request the page made, the document's own included.</summary>
    public IReadOnlyList<string> Requests =>
        _events.Where(e => e.Method == "Network.requestWillBeSent").Select(e => (string)e.Params["request"]!["url"]!).ToList();

    /// <summary>The message of every JavaScript dialog (alert, confirm, prompt) the page opened.</summary>
    public IReadOnlyList<string> Dialogs =>
        _events.Where(e => e.Method == "Page.javascriptDialogOpening").Select(e => (string)e.Params["message"]!).ToList();

    /// <summary>Starts the browser with one blank page.</summary>
    public static async Task<HeadlessBrowser> StartAsync()
    {
        var executable = await Chromium.PathAsync();
        var profile = Directory.CreateTempSubdirectory("pcu-chromium-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--disable-gpu", "--remote-debugging-port=0", "--user-data-dir=" + profile.FullName,
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-sync", "--disable-component-update", "--mute-audio", "--hide-scrollbars", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (Environment.UserName == "root")
        {
            // Chromium refuses to run as root inside its sandbox (CI and containers run as root).
            start.ArgumentList.Add("--no-sandbox");
        }

        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("Chromium ended before it listened:\n" + stderr));
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            const string prefix = "DevTools listening on ";
            if (e.Data.StartsWith(prefix, StringComparison.Ordinal))
            {
                listening.TrySetResult(new Uri(e.Data[prefix.Length..].Trim()));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var endpoint = await listening.Task.WaitAsync(StepTimeout);
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(endpoint, CancellationToken.None).WaitAsync(StepTimeout);
            var browser = new HeadlessBrowser(process, profile, socket);
            await browser.OpenPageAsync();
            return browser;
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="file"/> and returns once that document has loaded: each load event (the blank page's
    /// included, however late) is a moment to look, and the page is taken only when it is the file, loaded.
    /// </summary>
    public async Task OpenAsync(string file)
    {
        var url = new Uri(file).AbsoluteUri;
        var navigation = await CallAsync("Page.navigate", new JsonObject { ["url"] = url });
        if ((string?)navigation["errorText"] is { Length: > 0 } error)
        {
            throw new InvalidOperationException($"Chromium could not open {url}: {error}");
        }

        var loaded = "document.readyState === 'complete' && location.href === " + JsonSerializer.Serialize(url);
        do
        {
            if (!await _loads.WaitAsync(StepTimeout))
            {
                throw new TimeoutException($"{url} did not load.");
            }
        }
        while (!await EvaluateAsync<bool>(loaded));
    }

    /// <summary>Runs or stops running the page's scripts (as a mail client does), from the next load on.</summary>
    public Task DisableScriptAsync(bool disabled) =>
        CallAsync("Emulation.setScriptExecutionDisabled", new JsonObject { ["value"] = disabled });

    /// <summary>The value of a JavaScript expression evaluated in the page (JSON-serialisable values only).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is JsonObject exception)
        {
            throw new InvalidOperationException("The expression threw: " + exception.ToJsonString());
        }

        return result["result"]!["value"]?.DeepClone();
    }

    /// <summary>The value of an expression, as the type given.</summary>
    public async Task<T> EvaluateAsync<T>(string expression) =>
        (await EvaluateAsync(expression))!.Deserialize<T>()!;

    /// <summary>A PNG of the whole page at <paramref name="width"/> CSS pixels wide (as tall as the page, up to a bound).</summary>
    public async Task<byte[]> ScreenshotAsync(int width = 1200, int maxHeight = 16_000)
    {
        await CallAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width, ["height"] = 900, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });
        var height = Math.Min(maxHeight, await EvaluateAsync<int>("Math.ceil(document.documentElement.scrollHeight)"));
        var shot = await CallAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        });
        return Convert.FromBase64String((string)shot["data"]!);
    }

    /// <summary>
    /// Lays the page out as for print (the style's @media print rules) or for the screen again, and shows it in
    /// grey-scale or in colour again, so that a screenshot shows what a grey-scale printer makes of the page.
    /// </summary>
    public async Task EmulatePrintAsync(bool print, bool greyScale)
    {
        await CallAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = print ? "print" : string.Empty });
        await CallAsync("Emulation.setEmulatedVisionDeficiency", new JsonObject { ["type"] = greyScale ? "achromatopsia" : "none" });
    }

    /// <summary>The page printed to PDF (A4), as a user's "Save as PDF" makes it.</summary>
    public async Task<byte[]> PrintToPdfAsync()
    {
        var pdf = await CallAsync("Page.printToPDF", new JsonObject
        {
            ["paperWidth"] = 8.27, ["paperHeight"] = 11.69, ["printBackground"] = false,
        });
        return Convert.FromBase64String((string)pdf["data"]!);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, close.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The browser is killed next anyway.
        }

        Kill(_process);
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
        _loads.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file the dying browser still held: the temporary folder is cleaned another day.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }
    }

    private static string? ErrorText((string Method, JsonObject Params) e) => e.Method switch
    {
        "Runtime.consoleAPICalled" when (string?)e.Params["type"] is "error" or "assert" =>
            "console." + (string?)e.Params["type"] + ": " + e.Params["args"]?.ToJsonString(),
        "Runtime.exceptionThrown" => "exception: " + e.Params["exceptionDetails"]?.ToJsonString(),
        "Log.entryAdded" when (string?)e.Params["entry"]?["level"] == "error" =>
            "log: " + (string?)e.Params["entry"]?["text"] + " " + (string?)e.Params["entry"]?["url"],
        _ => null,
    };

    private async Task OpenPageAsync()
    {
        var target = await CallAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: false);
        var attached = await CallAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }, session: false);
        _session = (string)attached["sessionId"]!;
        foreach (var domain in new[] { "Page.enable", "Runtime.enable", "Log.enable", "Network.enable" })
        {
            await CallAsync(domain, new JsonObject());
        }
    }

    private async Task<JsonObject> CallAsync(string method, JsonObject parameters, bool session = true)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session)
        {
            message["sessionId"] = _session;
        }

        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }

        var reply = await answer.Task.WaitAsync(StepTimeout);
        if (reply["error"] is JsonObject error)
        {
            throw new InvalidOperationException(method + " failed: " + error.ToJsonString());
        }

        return reply["result"] as JsonObject ?? new JsonObject();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }

                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is JsonNode id)
                {
                    if (_calls.TryRemove((int)id, out var call))
                    {
                        call.TrySetResult(json);
                    }

                    continue;
                }

                var method = (string)json["method"]!;
                var parameters = json["params"] as JsonObject ?? new JsonObject();
                _events.Enqueue((method, parameters));
                if (method == "Page.loadEventFired")
                {
                    _loads.Release();
                }
                else if (method == "Page.javascriptDialogOpening")
                {
                    // Recorded above; dismissed so that the page goes on (an alert would block it).
                    _ = CallAsync("Page.handleJavaScriptDialog", new JsonObject { ["accept"] = false });
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Stopped, or the browser went away.
        }
        finally
        {
            foreach (var call in _calls.Values)
            {
                call.TrySetException(new InvalidOperationException("The browser went away."));
            }
        }
    }
}

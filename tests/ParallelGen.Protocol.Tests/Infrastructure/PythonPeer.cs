using System;
using System.Diagnostics;
using NUnit.Framework;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>
/// A small Python program playing another local process (an impostor), as this user or as <c>nobody</c>
/// (<c>setpriv</c>, when the tests run as root). It talks over redirected stdin/stdout, so the test waits for what it
/// says, line by line, instead of for time to pass.
/// </summary>
internal sealed class PythonPeer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Setpriv = "/usr/bin/setpriv";

    private PythonPeer(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public static bool CanRunAsAnotherUser =>
        OperatingSystem.IsLinux() && Environment.UserName == "root" && System.IO.File.Exists(Setpriv) && System.IO.File.Exists(Python);

    /// <summary>Skips the test where Python (or, for <paramref name="asAnotherUser"/>, root and setpriv) is missing.</summary>
    public static void RequireOrIgnore(bool asAnotherUser)
    {
        if (!OperatingSystem.IsLinux() || !System.IO.File.Exists(Python))
        {
            Assert.Ignore($"Needs Linux and {Python}.");
        }

        if (asAnotherUser && !CanRunAsAnotherUser)
        {
            Assert.Ignore($"Needs root (to run a process as another user) and {Setpriv}.");
        }
    }

    public static PythonPeer Start(string script, bool asAnotherUser, params string[] arguments)
    {
        var start = new ProcessStartInfo(asAnotherUser ? Setpriv : Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asAnotherUser)
        {
            foreach (string argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", Python })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new PythonPeer(Process.Start(start)!);
    }

    /// <summary>The next line the program prints (the receive timeouts in the scripts bound the wait).</summary>
    public string ReadLine() =>
        Process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The Python peer ended: " + Process.StandardError.ReadToEnd());

    public void WriteLine(string line)
    {
        Process.StandardInput.WriteLine(line);
        Process.StandardInput.Flush();
    }

    public void Dispose()
    {
        try
        {
            Process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }

        Process.WaitForExit();
        Process.Dispose();
    }
}

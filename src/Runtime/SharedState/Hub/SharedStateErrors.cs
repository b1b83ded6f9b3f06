using System;
using System.Text;
using System.Threading;

namespace ParallelGen.SharedState.Hub;

/// <summary>The exceptions every shared object throws for the answers that mean the same thing for all of them.</summary>
internal static class SharedStateErrors
{
    /// <summary>Throws for any status but <see cref="HubStatus.Ok"/>.</summary>
    public static void ThrowIfFailed(HubReply reply, string objectName)
    {
        if (reply.Status != HubStatus.Ok)
        {
            throw For(reply, objectName);
        }
    }

    public static Exception For(HubReply reply, string objectName) => reply.Status switch
    {
        HubStatus.Disposed => new ObjectDisposedException(objectName, $"The {objectName} was disposed in the process that created it."),
        HubStatus.ConnectionLost => new ObjectDisposedException(objectName,
            $"The process that created the {objectName} has exited or was killed; the object went with it."),
        HubStatus.Timeout => new TimeoutException($"The {objectName} did not become available in time."),
        HubStatus.Cancelled => new OperationCanceledException($"The wait on the {objectName} was cancelled."),
        HubStatus.NotHeld => new SynchronizationLockException(Message(reply)),
        _ => new InvalidOperationException($"The {objectName} failed in the process that owns it: {Message(reply)}"),
    };

    public static string Message(HubReply reply) => Encoding.UTF8.GetString(reply.Payload);

    public static byte[] Text(string message) => Encoding.UTF8.GetBytes(message);
}

using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelGen;

/// <summary>
/// Completes a result exactly once, running the user's callbacks first (as Python does: the result becomes
/// ready after its callback). Callbacks run on the thread pool, never on a pool thread that reads worker
/// sockets, so a slow or throwing callback cannot stall or kill the pool. A callback that throws makes that
/// exception the result's error instead of being lost.
/// </summary>
internal sealed class ResultCompletion<T>
{
    // Where the outcome goes: a task source (an AsyncResult's; no delegates to allocate per result), or two actions.
    private readonly TaskCompletionSource<T>? _source;
    private readonly TaskCompletionSource? _voidSource;
    private readonly Action<T>? _setResult;
    private readonly Action<Exception>? _setError;
    private readonly Action<T>? _callback;
    private readonly Action<Exception>? _errorCallback;
    private int _completed;

    public ResultCompletion(Action<T> setResult, Action<Exception> setError, Action<T>? callback, Action<Exception>? errorCallback)
    {
        _setResult = setResult;
        _setError = setError;
        _callback = callback;
        _errorCallback = errorCallback;
    }

    /// <summary>Completes <paramref name="source"/>.</summary>
    public ResultCompletion(TaskCompletionSource<T> source, Action<T>? callback, Action<Exception>? errorCallback)
    {
        _source = source;
        _callback = callback;
        _errorCallback = errorCallback;
    }

    /// <summary>Completes <paramref name="source"/>, which carries no value.</summary>
    public ResultCompletion(TaskCompletionSource source, Action<T>? callback, Action<Exception>? errorCallback)
    {
        _voidSource = source;
        _callback = callback;
        _errorCallback = errorCallback;
    }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public bool TrySetResult(T value)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        if (_callback is null)
        {
            SetResult(value);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Self.RunCallback(state.Value), (Self: this, Value: value), preferLocal: false);
        }

        return true;
    }

    public bool TrySetException(Exception error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        if (_errorCallback is null)
        {
            SetError(error);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Self.RunErrorCallback(state.Error), (Self: this, Error: error), preferLocal: false);
        }

        return true;
    }

    private void RunCallback(T value)
    {
        try
        {
            _callback!(value);
        }
        catch (Exception callbackError)
        {
            SetError(callbackError);
            return;
        }

        SetResult(value);
    }

    private void RunErrorCallback(Exception error)
    {
        try
        {
            _errorCallback!(error);
        }
        catch (Exception callbackError)
        {
            SetError(callbackError);
            return;
        }

        SetError(error);
    }

    private void SetResult(T value)
    {
        if (_source is not null)
        {
            _source.TrySetResult(value);
        }
        else if (_voidSource is not null)
        {
            _voidSource.TrySetResult();
        }
        else
        {
            _setResult!(value);
        }
    }

    private void SetError(Exception error)
    {
        if (_source is not null)
        {
            _source.TrySetException(error);
        }
        else if (_voidSource is not null)
        {
            _voidSource.TrySetException(error);
        }
        else
        {
            _setError!(error);
        }
    }
}

namespace ParallelGen.Generator.Model;

/// <summary>How the method returns, which decides how the worker adapts the call to a <c>ValueTask</c>.</summary>
internal enum ReturnKind
{
    /// <summary>A plain value: wrapped with <c>new ValueTask&lt;T&gt;(…)</c>.</summary>
    Value,

    /// <summary><c>void</c>: called, then <c>return default;</c>.</summary>
    Void,

    /// <summary><c>Task</c>: wrapped with <c>new ValueTask(…)</c>.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>: wrapped with <c>new ValueTask&lt;T&gt;(…)</c>.</summary>
    TaskOfT,

    /// <summary><c>ValueTask</c>: returned as is.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>: returned as is.</summary>
    ValueTaskOfT,
}

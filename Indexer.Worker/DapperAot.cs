// Every Dapper call of the worker runs code generated at build time for its statement and parameter type,
// not code emitted at run time (the native build cannot emit any). A call must so name its parameters'
// type where it is made, and passes its CancellationToken among them: new { ..., cancellationToken }.
[module: Dapper.DapperAot]

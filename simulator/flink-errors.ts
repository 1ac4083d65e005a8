/**
 * Flink's REST error bodies. An unmatched route gets the router's "Not found: <uri>"; a handler
 * that throws a RestHandlerException sends its stringified stack trace (AbstractHandler).
 */
export interface RestAnswer {
  status: number;
  body: unknown;
}

export function routeNotFound(uri: string): RestAnswer {
  return { status: 404, body: { errors: [`Not found: ${uri}`] } };
}

export function jobNotFound(jobId: string): RestAnswer {
  return handlerError(404, 'org.apache.flink.runtime.rest.NotFoundException', `Job ${jobId} not found`, 'job.AbstractExecutionGraphHandler');
}

export function vertexNotFound(vertexId: string): RestAnswer {
  return handlerError(404, 'org.apache.flink.runtime.rest.handler.RestHandlerException', `No vertex with ID '${vertexId}' exists.`, 'job.AbstractJobVertexHandler');
}

export function taskManagerNotFound(tmId: string): RestAnswer {
  return handlerError(404, 'org.apache.flink.runtime.rest.handler.RestHandlerException', `Could not find TaskExecutor ${tmId}.`, 'taskmanager.TaskManagerDetailsHandler');
}

export function badJobId(value: string): RestAnswer {
  return {
    status: 400,
    body: { errors: [`Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value "${value}".`] },
  };
}

function handlerError(status: number, exceptionClass: string, message: string, handler: string): RestAnswer {
  const simpleName = handler.split('.').pop()!;
  const trace = [
    `${exceptionClass}: ${message}`,
    `\tat org.apache.flink.runtime.rest.handler.${handler}.lambda$handleRequest$1(${simpleName}.java:99)`,
    '\tat java.base/java.util.concurrent.CompletableFuture.uniExceptionally(Unknown Source)',
    '\tat java.base/java.util.concurrent.CompletableFuture$UniExceptionally.tryFire(Unknown Source)',
    '\tat java.base/java.util.concurrent.CompletableFuture.postComplete(Unknown Source)',
  ].join('\n');
  return { status, body: { errors: [`${trace}\n`] } };
}

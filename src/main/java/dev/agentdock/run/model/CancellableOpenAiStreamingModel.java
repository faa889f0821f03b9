package dev.agentdock.run.model;

import dev.agentdock.common.KeepAliveHttpClient;
import dev.agentdock.common.OpenAiTarget;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * LangChain4j's stock {@link OpenAiStreamingChatModel} on the {@link KeepAliveHttpClient} transport, with a
 * {@link StreamingHandle} the caller holds from the moment the call starts: a stop that comes before the first token
 * (the stock model hands a handle out only with an event) still cancels the upstream request at once.
 */
public final class CancellableOpenAiStreamingModel implements StreamingChatModel {

    private final OpenAiStreamingChatModel model;

    /** {@code transport} is a {@link KeepAliveHttpClient.Builder} in the service; a test may pass another. */
    public CancellableOpenAiStreamingModel(HttpClientBuilder transport, OpenAiTarget target, Duration timeout) {
        this.model = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(transport)
                .baseUrl(target.baseUrl())
                .apiKey(target.apiKey())
                .timeout(timeout)
                .build();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        stream(request, handler);
    }

    /** Starts the streaming call and returns the handle that cancels it, usable before the first chunk arrives. */
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        Handle handle = new Handle();
        StreamingChatResponseHandler endsTheCall = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                handler.onPartialResponse(partial, context);
            }

            @Override
            public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
                handler.onPartialThinking(thinking, context);
            }

            @Override
            public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext context) {
                handler.onPartialToolCall(partial, context);
            }

            @Override
            public void onCompleteToolCall(CompleteToolCall complete) {
                handler.onCompleteToolCall(complete);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                handler.onCompleteResponse(response);
            }

            @Override
            public void onError(Throwable error) {
                // LangChain4j reports an event it cannot read and reads on; nobody wants the rest of that stream,
                // and its connection cannot go back to the pool half-read (a call already over keeps its connection)
                handle.cancel();
                handler.onError(error);
            }
        };
        try {
            KeepAliveHttpClient.CallCapture.capturing(handle::bind, () -> model.chat(request, endsTheCall));
        } catch (RuntimeException e) {
            // a request the model refuses before sending it (an unsupported parameter) ends the call like any failure
            handle.cancel();
            handler.onError(e);
        }
        return handle;
    }

    /** Cancels the upstream call; safe before the call has started and from any thread. */
    static final class Handle implements StreamingHandle {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicReference<KeepAliveHttpClient.Call> upstream = new AtomicReference<>();

        void bind(KeepAliveHttpClient.Call call) {
            upstream.set(call);
            if (cancelled.get()) {
                call.cancel();
            }
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                KeepAliveHttpClient.Call call = upstream.get();
                if (call != null) {
                    call.cancel();
                }
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }
}

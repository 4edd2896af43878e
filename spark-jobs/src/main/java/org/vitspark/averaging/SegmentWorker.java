package org.vitspark.averaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The executor side of a {@link RoundSegment}: one task per worker that connects to the driver and then
 * trains round after round, each from the parameters and updater state the driver sends, answering with
 * its own, until the driver says stop. Each round is {@link RoundWorker}'s, so a segment's rounds are the
 * Spark-job path's rounds bit for bit; only the transport differs.
 */
final class SegmentWorker implements FlatMapFunction<Iterator<Integer>, Integer> {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final byte[] token;
    private final RoundWorker rounds;

    SegmentWorker(String host, int port, byte[] token, RoundWorker rounds) {
        this.host = host;
        this.port = port;
        this.token = token.clone();
        this.rounds = rounds;
    }

    @Override
    public Iterator<Integer> call(Iterator<Integer> workers) {
        int worker = workers.next();
        // Blocking reads on a channel end with ClosedByInterruptException when Spark cancels the job.
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port))) {
            ch.socket().setTcpNoDelay(true);
            SocketFrames.writeHello(ch, token, worker);
            INDArray params = null;
            INDArray updater = null;
            int trained = 0;
            for (SocketFrames.Start s = SocketFrames.readStart(ch, null, null); s != null;
                    s = SocketFrames.readStart(ch, params, updater)) {
                params = s.params();
                updater = s.updater();
                // no configuration: a worker builds its network from the segment's opening broadcast
                NetBroadcastTuple state = new NetBroadcastTuple((ComputationGraphConfiguration) null, params, updater);
                SocketFrames.writeResult(ch, rounds.run(s.task(), state));
                trained++;
            }
            return Collections.singletonList(trained).iterator();
        } catch (IOException e) {
            throw new UncheckedIOException(String.format("worker %d lost its round-segment connection to the "
                    + "driver at %s:%d", worker, host, port), e);
        }
    }
}

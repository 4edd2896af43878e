"""Airflow DAG: vitspark's nightly suite through spark-submit (apache-airflow-providers-apache-spark).

Every night at 02:00 one SparkSubmitOperator task runs
    vitspark nightly conf/suites/reproduce.conf --date {{ ds }}
with the application jar, on the cluster behind the Airflow connection "spark_vitspark" (YARN, Kubernetes or
a standalone master). The date is the run's logical date, so a backfill or a cleared task reruns exactly
that night: finished experiments are skipped and an interrupted one resumes from its checkpoint.
max_active_runs=1 and catchup=False keep two nights from running at once (the suite's own lock would
refuse the second). A non-zero exit (a regression or a failed experiment) fails the task; the report and
verdict.json are under the suite's run root either way. Edit VITSPARK_HOME and the connection id.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

VITSPARK_HOME = "/opt/vitspark"
JAVA_OPTIONS = ("--add-modules=jdk.incubator.vector -XX:TypeProfileLevel=222 -Djdk.reflect.useDirectMethodHandle=false "
                "-Dorg.bytedeco.javacpp.maxbytes=8G -Dorg.bytedeco.javacpp.maxphysicalbytes=15G")

with DAG(
    dag_id="vitspark_nightly",
    description="vitspark: the four methods' reproduction suite, nightly",
    schedule="0 2 * * *",
    start_date=datetime(2026, 12, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "vitspark", "retries": 0, "execution_timeout": timedelta(hours=20)},
    tags=["vitspark", "nightly"],
) as dag:
    nightly = SparkSubmitOperator(
        task_id="reproduce_suite",
        conn_id="spark_vitspark",
        application=f"{VITSPARK_HOME}/vitspark-app.jar",
        java_class="org.vitspark.jobs.Vitspark",
        application_args=["nightly", f"{VITSPARK_HOME}/conf/suites/reproduce.conf", "--date", "{{ ds }}"],
        conf={
            "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator": "org.nd4j.kryo.Nd4jRegistrator,org.vitspark.spark.RawArrayRegistrator",
            "spark.driver.extraJavaOptions": JAVA_OPTIONS,
            "spark.executor.extraJavaOptions": JAVA_OPTIONS,
            "spark.executor.memoryOverhead": "9g",
            "spark.driver.memoryOverhead": "9g",
            "spark.task.maxFailures": "8",
        },
        executor_memory="8g",
        driver_memory="8g",
        name="vitspark-nightly-{{ ds }}",
        verbose=False,
    )

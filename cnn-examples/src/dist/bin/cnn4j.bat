@echo off
rem Starts the cnn4j command-line tool: bin\cnn4j COMMAND [OPTIONS] (bin\cnn4j help lists the commands).
rem
rem JAVA_HOME  the JDK or JRE to use (default: the java on the PATH); Java 17 or newer
rem JAVA_OPTS  extra JVM options, e.g. set JAVA_OPTS=-Xmx8g
rem
rem When the JVM has the Java Vector API module (jdk.incubator.vector), it is added, so the
rem convolution and pooling kernels run their vector versions; -Dcnn4j.vector=false turns them off.
setlocal
set "APP_HOME=%~dp0.."

if defined JAVA_HOME (
  set "JAVACMD=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVACMD=java.exe"
)
"%JAVACMD%" -version >NUL 2>&1
if errorlevel 1 goto nojava

set "VECTOR="
"%JAVACMD%" --list-modules 2>NUL | findstr /b /c:"jdk.incubator.vector@" >NUL
if not errorlevel 1 set "VECTOR=--add-modules jdk.incubator.vector"

"%JAVACMD%" %VECTOR% %JAVA_OPTS% -cp "%APP_HOME%\lib\*" io.github.cnn4j.examples.cli.Cnn4jCli %*
exit /b %ERRORLEVEL%

:nojava
echo cnn4j: cannot run "%JAVACMD%": set JAVA_HOME or put java on the PATH; cnn4j needs Java 17 or newer 1>&2
exit /b 1

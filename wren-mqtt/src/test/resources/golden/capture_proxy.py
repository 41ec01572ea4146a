import socket, threading, sys
def packets(buf):
    out=[]; i=0
    while i < len(buf):
        j=i+1; mult=1; rem=0
        while True:
            b=buf[j]; rem+=(b&0x7f)*mult; mult*=128; j+=1
            if not b&0x80: break
        out.append(buf[i:j+rem].hex()); i=j+rem
    return out
def pump(src,dst,tag,log):
    data=b''
    while True:
        try: d=src.recv(65536)
        except: break
        if not d: break
        data+=d; dst.sendall(d)
    log.append((tag,data))
    try: dst.shutdown(socket.SHUT_WR)
    except: pass
def main(label):
    ls=socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); ls.bind(('127.0.0.1',18831)); ls.listen(1)
    c,_=ls.accept(); s=socket.create_connection(('127.0.0.1',18830)); log=[]
    t1=threading.Thread(target=pump,args=(c,s,'C>S',log)); t2=threading.Thread(target=pump,args=(s,c,'S>C',log))
    t1.start(); t2.start(); t1.join(); t2.join()
    with open('out.txt','a') as f:
        f.write('## '+label+'\n')
        for tag,data in sorted(log):
            for p in packets(data): f.write(tag+' '+p+'\n')
main(sys.argv[1])
